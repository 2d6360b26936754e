import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { BenchResults } from '../../bench/report';
import { temporalExecutable } from '../helpers/temporal-binaries';

/**
 * `npm run bench` end to end with tiny sizes: its own dev server, worker, API and sandbox, every scenario, the JSON.
 * It checks that each figure was measured (positive), never how fast: timing is the bench's job, not the test's.
 */
const run = promisify(execFile);
const root = resolve(__dirname, '../..');

describe('bench smoke run (tiny N)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every scenario and writes positive figures to the results JSON', async () => {
    await run(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
      cwd: root,
      env: {
        ...process.env,
        TEMPORAL_CLI_PATH: temporalExecutable('cli'),
        BENCH_N: '4',
        BENCH_STORM_N: '4',
        BENCH_WEBHOOKS: '16',
        BENCH_WEBHOOK_CONNECTIONS: '4',
        BENCH_MEMORY_LEVELS: '5,10',
        BENCH_TIMEOUT_MINUTES: '4',
        BENCH_RESULTS_DIR: dir,
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const r = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as BenchResults;

    for (const load of [r.webhooks.full, r.webhooks.bareRoute, r.webhooks.rawSignals]) {
      expect(load.requests).toBe(16);
      expect(load.perSecond).toBeGreaterThan(0);
      expect(load.p99Ms).toBeGreaterThanOrEqual(load.p50Ms);
    }
    expect(r.webhooks.full.non2xx).toBe(0);
    expect(r.webhooks.ratioToBareRoute).toBeGreaterThan(0);
    expect(r.webhooks.ratioToRawSignals).toBeGreaterThan(0);
    // ABBA, repeated: each path measured in passes, and where its CPU went (the API only works on the full path).
    // 16 webhooks over 4 subscriptions: four passes of 4 per path, so no pass signals a subscription twice.
    expect(r.webhooks.order).toEqual(['full', 'raw', 'raw', 'full', 'full', 'raw', 'raw', 'full']);
    expect(r.webhooks.full.requests).toBe(16);
    expect(r.webhooks.rawSignals.requests).toBe(16);
    expect(r.webhooks.cpuMsPerRequest.full.total).toBeGreaterThan(0);
    expect(r.webhooks.cpuMsPerRequest.full.total).toBeCloseTo(r.webhooks.cpuMsPerRequest.full.api + r.webhooks.cpuMsPerRequest.full.worker + r.webhooks.cpuMsPerRequest.full.temporal + r.webhooks.cpuMsPerRequest.full.driver, 2);
    expect(r.webhooks.p99RatioToRawSignals).toBeGreaterThan(0);

    expect(r.activation.n).toBe(4);
    // Two halves per side, ABBA, so drift in the machine's speed weighs on both.
    expect(r.activation.order).toEqual(['chargeloop', 'baseline', 'baseline', 'chargeloop']);
    expect(r.activation.subscriptionsPerSecond).toBeGreaterThan(0);
    expect(r.activation.baselinePerSecond).toBeGreaterThan(0);
    expect(r.activation.ratio).toBeGreaterThan(0);
    expect(r.activation.stateTransitionsPerSubscription).toBeGreaterThan(0);
    expect(r.activation.baselineStateTransitions).toBeGreaterThan(0);
    // The baseline repeats the real activation's shape.
    expect(r.activation.baselineShape.activities).toBe(r.activation.shape.activities);
    expect(r.activation.baselineShape.signals).toBe(r.activation.shape.signals);
    expect(r.activation.baselineShape.timers).toBe(r.activation.shape.timers);
    // Each baseline signal arrives where the real one did: after as many completed activities, give or take the one
    // whose completion races the webhook it asked for (a driver sending them all after the checkout fails this).
    expect(r.activation.baselineShape.signalsAfter).toHaveLength(r.activation.shape.signals);
    r.activation.shape.signalsAfter.forEach((place, i) => expect(Math.abs(r.activation.baselineShape.signalsAfter[i]! - place)).toBeLessThanOrEqual(1));
    expect(r.activation.shape.workflowTasks).toBeGreaterThan(0);
    expect(r.activation.baselineShape.workflowTasks).toBeGreaterThan(0);
    // Where each side's CPU went: the API, worker and server work on both; the sandbox is the real activation's
    // gateway, the bare peer the baseline's (the peer also takes Chargeloop's merchant events, too few here to read).
    for (const cpu of [r.activation.cpuMsPerSubscription.chargeloop, r.activation.cpuMsPerSubscription.baseline]) {
      for (const part of [cpu.api, cpu.worker, cpu.temporal]) expect(part).toBeGreaterThan(0);
      expect(cpu.total).toBeCloseTo(cpu.api + cpu.worker + cpu.temporal + cpu.sandbox + cpu.peer + cpu.driver, 1);
    }
    expect(r.activation.cpuMsPerSubscription.chargeloop.sandbox).toBeGreaterThan(0);
    expect(r.activation.cpuMsPerSubscription.baseline.peer).toBeGreaterThan(0);

    expect(r.renewalStorm.n).toBe(4);
    expect(r.renewalStorm.achievedPerSecond).toBeGreaterThan(0);
    expect(r.renewalStorm.ratioToLimit).toBeGreaterThan(0);
    expect(r.renewalStorm.lastRenewalSeconds).toBeGreaterThan(0);
    // Two worker processes, and every renewal's charge request found in the sandbox's books (4 of them, 4 at most a window).
    expect(r.renewalStorm.workers).toBe(2);
    expect(r.renewalStorm.peakPer60s).toBe(4);
    expect(r.renewalStorm.peakPerSecond).toBeGreaterThan(0);

    // History cost per billing cycle, from the test-clock subscription's months of renewals.
    const history = r.testClock?.history;
    expect(history?.afterMonths.events).toBeGreaterThan(history?.atActive.events ?? Infinity);
    expect(history?.perCycle.events).toBeGreaterThan(0);
    expect(history?.perCycle.payloadBytes).toBeGreaterThan(0);

    // Each kind in a fresh worker process of its own, so neither starts on memory the other left.
    expect(r.memory.idle.subscriptions.workerPid).not.toBe(r.memory.idle.baseline.workerPid);
    for (const idle of [r.memory.idle.baseline, r.memory.idle.subscriptions]) expect(idle.workerRssBytes).toBeGreaterThan(0);
    // RSS deltas at 5 and 10 workflows are noise (they can even be negative), so only the readings are checked.
    for (const levels of [r.memory.baseline, r.memory.subscriptions]) {
      expect(levels.map((l) => l.open)).toEqual([5, 10]);
      for (const l of levels) {
        expect(l.workerRssBytes).toBeGreaterThan(0);
        expect(l.apiRssBytes).toBeGreaterThan(0);
      }
    }
  }, 300_000);
});
