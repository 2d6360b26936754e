import { scenarioForSeed } from './arbitraries';
import { violations } from './invariants';
import { openRig, type Rig } from './runner';

/**
 * The randomized suite npm test runs: a fixed set of seeds (PROPERTY_SEED, PROPERTY_SCENARIOS widen or move it), one
 * test per seed so every failing scenario is named and replays with `npm run fuzz:workflow -- --seed <seed>`.
 */
const BASE_SEED = Number(process.env.PROPERTY_SEED ?? 9_000);
const SCENARIOS = Number(process.env.PROPERTY_SCENARIOS ?? 200);
const seeds = Array.from({ length: SCENARIOS }, (_, i) => BASE_SEED + i);

jest.setTimeout(120_000);
let rig: Rig;
beforeAll(async () => {
  rig = await openRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('subscription workflow under randomized scenarios', () => {
  it.each(seeds)('seed %i keeps every invariant', async (seed) => {
    const scenario = scenarioForSeed(seed);
    const observed = await rig.runScenario(scenario);
    expect({ seed, violations: violations(observed) }).toEqual({ seed, violations: [] });
  });
});
