import { scenarioForSeed } from './arbitraries';
import { violations } from './invariants';
import { useRig } from './runner';

/**
 * The randomized suite: a fixed set of seeds (PROPERTY_SEED, PROPERTY_SCENARIOS widen or move it), one test per seed
 * so every failing scenario is named and replays with `npm run fuzz:workflow -- --seed <seed>`. Part of npm test.
 */
const BASE_SEED = Number(process.env.PROPERTY_SEED ?? 9_000);
const SCENARIOS = Number(process.env.PROPERTY_SCENARIOS ?? 200);
const seeds = Array.from({ length: SCENARIOS }, (_, i) => BASE_SEED + i);

const rig = useRig();

describe('subscription workflow under randomized scenarios', () => {
  it.each(seeds)('seed %i keeps every invariant', async (seed) => {
    const scenario = scenarioForSeed(seed);
    const observed = await rig.current.runScenario(scenario);
    expect({ seed, violations: violations(observed) }).toEqual({ seed, violations: [] });
  });
});
