/**
 * npm run fuzz:workflow -- --runs N [--seed S] [--path P] [--no-shrink]
 *
 * Runs N randomized subscription scenarios (test/workflows/properties) on a time-skipping server and checks every
 * invariant after each. On a failure fast-check shrinks it (unless --no-shrink) and prints the seed and path:
 * `--seed S --path P` replays exactly that counterexample; `--seed S --runs 1` replays the first scenario of a seed,
 * which is what the npm-test suite's `seed S` case runs. Bounded by N (and shrinking by --shrink-seconds, default 600).
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { scenarioArbitrary } from '../test/workflows/properties/arbitraries';
import { violations } from '../test/workflows/properties/invariants';
import { openRig } from '../test/workflows/properties/runner';
import type { Scenario } from '../test/workflows/properties/scenario';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '50' },
      seed: { type: 'string' },
      path: { type: 'string' },
      'no-shrink': { type: 'boolean', default: false },
      'shrink-seconds': { type: 'string', default: '600' },
      /** A scenario as JSON (a printed counterexample, edited): runs it once and prints its violations. */
      scenario: { type: 'string' },
    },
  });
  if (values.scenario) {
    const rig = await openRig();
    try {
      const found = violations(await rig.runScenario(JSON.parse(values.scenario) as Scenario));
      console.log(found.length ? found.join('\n') : 'ok: 0 violations');
      process.exitCode = found.length ? 1 : 0;
    } finally {
      await rig.close();
    }
    return;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100_000) throw new Error('--runs must be an integer from 1 to 100000');
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  const rig = await openRig();
  // Ctrl-C or a timeout must not leave the time-skipping server running.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void rig.close().finally(() => process.exit(130)));
  let ran = 0;
  try {
    const property = fc.asyncProperty(scenarioArbitrary, async (scenario) => {
      ran += 1;
      const found = violations(await rig.runScenario(scenario));
      if (found.length) throw new Error(`${found.length} violation(s):\n  ${found.join('\n  ')}`);
    });
    console.log(`fuzz:workflow seed=${seed} runs=${runs}${values.path ? ` path=${values.path}` : ''}`);
    const details = await fc.check(property, {
      seed,
      numRuns: runs,
      ...(values.path ? { path: values.path } : {}),
      endOnFailure: values['no-shrink'],
      interruptAfterTimeLimit: Number(values['shrink-seconds']) * 1000 + runs * 60_000,
    });
    if (details.failed) {
      console.log(`FAILED after ${details.numRuns} run(s), ${details.numShrinks} shrink(s); ${ran} scenario(s) executed in all`);
      console.log(`replay: npm run fuzz:workflow -- --seed ${details.seed} --path ${details.counterexamplePath ?? ''} --runs 1 --no-shrink`);
      console.log(`counterexample: ${JSON.stringify(details.counterexample?.[0])}`);
      console.log(String(details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance));
      process.exitCode = 1;
    } else {
      console.log(`ok: ${details.numRuns} scenario(s), 0 violations`);
    }
  } finally {
    await rig.close();
  }
}

void main();
