import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { DEV_API_KEY } from '../src/api/auth/api-keys';
import type { TestClockView } from '../src/api/routes/test-clock-schemas';
import { subscriptionWorkflowId } from '../src/shared/ids';
import type { SubscriptionView } from '../src/shared/state';
import { startDevStack } from '../scripts/dev/stack';
import { historyCost, perCycle, type HistoryCost } from './lib/history-cost';
import { freePort } from './lib/ports';
import { createViaApi, payAtCheckout } from './lib/subscriptions';

/** What the test-clock entry reports: wall time for one simulated billing month on the dev stack. */
export interface TestClockBenchResult {
  months: number;
  /** Per advance of one month: POST …/test-clock/advance until the clock is ready and the renewal is recorded as paid. */
  wallMsPerMonth: { p50: number; max: number; each: number[] };
  server: string;
  /**
   * History cost per billing cycle (issue 13, target 5: at most 20 events): what the months of renewals added to
   * the subscription's history (every run), divided by the months. `atActive` is the history once cycle 1 is paid.
   * `testClockEvents` counts, per cycle, the events the test clock itself adds (its fast-forward updates the
   * workflow's options and records each skip's start and end); they are not in a production history and are left
   * out of `perCycle.events`.
   */
  history: { atActive: HistoryCost; afterMonths: HistoryCost; perCycle: ReturnType<typeof perCycle>; testClockEvents: number };
}

/** Event types only the test clock adds to a history (a production subscription never has them). */
const TEST_CLOCK_EVENT_TYPES = ['WORKFLOW_EXECUTION_OPTIONS_UPDATED', 'WORKFLOW_EXECUTION_TIME_SKIPPING_TRANSITIONED'];

const auth = { authorization: `Bearer ${DEV_API_KEY}`, 'content-type': 'application/json' };
const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function until<T>(what: string, fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * One Paystack monthly subscription on the stack npm run dev runs (Temporal server v1.32.2 on SQLite, its own ports
 * in a temp dir), advanced one month at a time: each month is a renewal charged against the sandbox for real.
 */
export async function runTestClockBench(months = Number(process.env.BENCH_TEST_CLOCK_MONTHS ?? 6)): Promise<TestClockBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chargeloop-bench-clock-'));
  // Inside BENCH_PORTS, like the rest of the bench (the main stack is still up: its ports are taken, so skipped).
  const p: number[] = [];
  for (let i = 0; i < 11; i += 1) p.push(await freePort());
  const connectionsFile = join(dataDir, 'connections.json');
  writeFileSync(connectionsFile, readFileSync(resolve(__dirname, '../sandbox/connections.json'), 'utf8').replace(/http:\/\/127\.0\.0\.1:\d+\//g, `http://127.0.0.1:${p[10]}/`));
  const stack = await startDevStack({
    dataDir, sqliteFile: join(dataDir, 'temporal.sqlite'), connectionsFile, output: 'files', log: () => undefined,
    ports: { temporal: { frontend: p[0]!, frontendMembership: p[1]!, frontendHttp: p[2]!, history: p[3]!, historyMembership: p[4]!, matching: p[5]!, matchingMembership: p[6]!, worker: p[7]!, workerMembership: p[8]! }, api: p[9]!, sandbox: p[10]! },
    appEnv: { NODE_ENV: 'development', CODEC_KEYS: `bench:${randomBytes(32).toString('base64')}`, METRICS_ADDRESS: '', LOG_LEVEL: 'warn' },
    sandboxEnv: { SANDBOX_DATA_FILE: '', SANDBOX_DUPLICATE_PROBABILITY: '0' },
  });
  try {
    const id = `bench-clock-${process.pid}`;
    const view = (): Promise<SubscriptionView> => fetch(`${stack.apiUrl}/v1/subscriptions/${id}`, { headers: auth }).then((r) => r.json() as Promise<SubscriptionView>);
    const created = await createViaApi(stack.apiUrl, id, 'paystack-sandbox');
    await payAtCheckout(created.authorization.checkoutUrl!);
    await until('active', view, (v) => v.status === 'active' && v.refunds.every((r) => r.status === 'processed'), 60_000);
    const clock = (): Promise<TestClockView> => fetch(`${stack.apiUrl}/v1/subscriptions/${id}/test-clock`, { headers: auth }).then((r) => r.json() as Promise<TestClockView>);
    const client = new Client({ connection: stack.connection, namespace: stack.namespace });
    const atActive = await historyCost(client, subscriptionWorkflowId(id));
    const each: number[] = [];
    for (let m = 1; m <= months; m++) {
      // Active is not quiet: the activation's merchant events may still be in delivery, and the API refuses to move
      // a clock with work pending (409). Waiting for ready is part of the first month's wall time, as it is for a user.
      const started = performance.now();
      await until(`ready before month ${m}`, clock, (c) => c.status === 'ready', 120_000);
      const res = await fetch(`${stack.apiUrl}/v1/subscriptions/${id}/test-clock/advance`, { method: 'POST', headers: { ...auth, 'idempotency-key': `${id}-month-${m}` }, body: JSON.stringify({ by: '1mo' }) });
      if (res.status !== 202) throw new Error(`advance ${m}: ${res.status} ${await res.text()}`);
      await until(`month ${m}`, clock, (c) => c.status === 'ready' && c.subscription.charges.filter((x) => x.cycle === m + 1 && x.outcome === 'succeeded').length === 1, 120_000);
      each.push(Math.round(performance.now() - started));
    }
    const afterMonths = await historyCost(client, subscriptionWorkflowId(id));
    const cycle = perCycle(atActive, afterMonths, months);
    const testClockEvents = TEST_CLOCK_EVENT_TYPES.reduce((n, t) => n + (cycle.byType[t] ?? 0), 0);
    return {
      months,
      wallMsPerMonth: { p50: percentile(each, 50), max: Math.max(...each), each },
      server: 'Temporal server v1.32.2 on SQLite (npm run dev)',
      history: { atActive, afterMonths, perCycle: { ...cycle, events: Math.round((cycle.events - testClockEvents) * 10) / 10 }, testClockEvents },
    };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runTestClockBench()
    .then((r) => console.log(JSON.stringify({ testClock: r }, null, 2)))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
