import { execFileSync } from 'node:child_process';
import { loadBenchConfig } from './config';
import { progress } from './lib/progress';
import { machine, markdown, temporalInfo, writeResults, type BenchResults } from './report';
import { activationId, runActivation } from './scenarios/activation';
import { runMemory } from './scenarios/memory';
import { runStorm } from './scenarios/storm';
import { runWebhooks } from './scenarios/webhooks';
import { startStack, type Stack } from './stack';
import { runTestClockBench } from './test-clock';

/**
 * `npm run bench`: one stack, four scenarios, each beside its baseline on the same server. Memory runs first on
 * the idle stack; activation leaves N active subscriptions that the webhook scenario signals; the storm runs last.
 * The stack is stopped on success, on failure and on Ctrl-C.
 */
async function main(): Promise<void> {
  const cfg = loadBenchConfig();
  const startedAt = new Date().toISOString();
  const deadline = Date.now() + cfg.timeoutMinutes * 60_000;
  const left = (): number => Math.max(1000, deadline - Date.now());
  let stack: Stack | undefined;
  let stopEarly: (() => Promise<void>) | undefined;
  let failed: ((reason: Error) => void) | undefined;
  const crashed = new Promise<never>((_, reject) => (failed = reject));
  crashed.catch(() => undefined);
  let interrupted: number | undefined;
  const stopAndExit = async (code: number): Promise<never> => {
    await (stack ? stack.stop() : stopEarly?.());
    process.exit(interrupted ?? code);
  };
  const interrupt = (code: number): void => {
    interrupted = code;
    progress('bench', 'interrupted; stopping the stack');
    void stopAndExit(code);
  };
  process.once('SIGINT', () => interrupt(130));
  process.once('SIGTERM', () => interrupt(143));
  const guard = setTimeout(() => failed?.(new Error(`the bench exceeded ${cfg.timeoutMinutes} min`)), left());
  guard.unref();

  try {
    progress('bench', `config ${JSON.stringify(cfg)}`);
    stack = await startStack({
      stormRatePerSecond: cfg.stormRatePerSecond,
      server: cfg.server,
      onUnexpectedExit: (name) => failed?.(new Error(`${name} exited during the bench`)),
      onStopReady: (stop) => (stopEarly = stop),
    });
    const s = stack;
    const run = async (): Promise<BenchResults> => {
      progress('memory', `open subscriptions at ${cfg.memoryLevels.join(', ')}`);
      const memory = await runMemory(s, cfg, left());
      progress('activation', `${cfg.n} subscriptions through POST /v1/subscriptions and the sandbox checkout`);
      const activation = await runActivation(s, cfg, left());
      const webhooks = await runWebhooks(s, cfg, Array.from({ length: cfg.n }, (_, i) => activationId(i)));
      progress('storm', `${cfg.stormN} renewals due at once, limit ${cfg.stormRatePerSecond}/s`);
      const renewalStorm = await runStorm(s, cfg, activation.subscriptionsPerSecond, left());
      progress('test-clock', 'one subscription advanced month by month on the time-skipping dev stack');
      const testClock = await runTestClockBench();
      return {
        startedAt,
        finishedAt: new Date().toISOString(),
        machine: machine(),
        temporal: cfg.server === 'cluster' ? temporalInfo(`server v${serverVersion()} (full server, scripts/cluster)`, 'postgresql') : temporalInfo(temporalVersion()),
        config: cfg,
        webhooks,
        activation,
        renewalStorm,
        memory,
        testClock,
      };
    };
    const results = await Promise.race([run(), crashed]);
    const file = writeResults(results, cfg.resultsDir);
    process.stdout.write(`\n${markdown(results)}\n\nresults: ${file}\n`);
    await stopAndExit(0);
  } catch (err) {
    console.error(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    await stopAndExit(1);
  }
}

function serverVersion(): string {
  return execFileSync('bash', ['scripts/temporal.sh', 'server-version'], { encoding: 'utf8' }).trim();
}

function temporalVersion(): string {
  try {
    const cli = process.env.TEMPORAL_CLI_PATH ?? execFileSync('bash', ['scripts/temporal.sh', 'cli'], { encoding: 'utf8' }).trim();
    return execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

void main();
