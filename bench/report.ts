import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchConfig } from './config';
import type { ActivationCpu, ActivationResult } from './scenarios/activation';
import type { MemoryResult } from './scenarios/memory';
import type { StormResult } from './scenarios/storm';
import type { CpuPerRequest, WebhookResult } from './scenarios/webhooks';
import type { TestClockBenchResult } from './test-clock';
import { SQLITE_PRAGMAS } from './stack';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  /** `persistence` absent in results recorded before the cluster option: SQLite. */
  temporal: { server: string; sqlitePragmas: string[]; persistence?: 'sqlite' | 'postgresql' };
  config: BenchConfig;
  webhooks: WebhookResult;
  activation: ActivationResult;
  renewalStorm: StormResult;
  memory: MemoryResult;
  /** Wall time per simulated month of a test clock (issue 15); absent in results recorded before it. */
  testClock?: TestClockBenchResult;
}

export function machine(): BenchResults['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export const temporalInfo = (server: string, persistence: 'sqlite' | 'postgresql' = 'sqlite'): BenchResults['temporal'] =>
  persistence === 'sqlite' ? { server, sqlitePragmas: SQLITE_PRAGMAS, persistence } : { server, sqlitePragmas: [], persistence };

const mib = (b: number): string => (b / 1024 / 1024).toFixed(1);
const kib = (b: number): string => (b / 1024).toFixed(1);
const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : (a / b).toFixed(2));

const cpuLine = (c: CpuPerRequest): string => `${c.total} ms (API ${c.api}, worker ${c.worker}, Temporal ${c.temporal}, load driver ${c.driver})`;

/** The results as one markdown table: each figure beside its same-run baseline and the ratio that matters. */
export function markdown(r: BenchResults): string {
  const w = r.webhooks;
  const a = r.activation;
  const s = r.renewalStorm;
  const rows: string[][] = [
    ['Webhook ingestion (full path)', `${w.full.perSecond} webhooks/s, p50 ${w.full.p50Ms} ms, p99 ${w.full.p99Ms} ms`, `bare Express route: ${w.bareRoute.perSecond} req/s, p50 ${w.bareRoute.p50Ms} ms, p99 ${w.bareRoute.p99Ms} ms`, `${w.ratioToBareRoute}`],
    ['', '', `raw Temporal signals: ${w.rawSignals.perSecond} signals/s, p50 ${w.rawSignals.p50Ms} ms, p99 ${w.rawSignals.p99Ms} ms`, `${w.ratioToRawSignals} (p99 ${w.p99RatioToRawSignals})`],
    ['', `CPU per webhook: ${cpuLine(w.cpuMsPerRequest.full)}`, `CPU per raw signal: ${cpuLine(w.cpuMsPerRequest.rawSignals)}`, w.cpuLayout ? `edge on CPU ${w.cpuLayout.edge}, Temporal on CPU ${w.cpuLayout.temporal}` : 'all CPUs shared'],
    ...(w.sharedCpus
      ? [
          [
            'Webhook ingestion, all CPUs shared',
            `${w.sharedCpus.full.perSecond} webhooks/s, p50 ${w.sharedCpus.full.p50Ms} ms, p99 ${w.sharedCpus.full.p99Ms} ms; CPU per webhook ${cpuLine(w.sharedCpus.cpuMsPerRequest.full)}`,
            `raw Temporal signals: ${w.sharedCpus.rawSignals.perSecond} signals/s, p50 ${w.sharedCpus.rawSignals.p50Ms} ms, p99 ${w.sharedCpus.rawSignals.p99Ms} ms; CPU ${cpuLine(w.sharedCpus.cpuMsPerRequest.rawSignals)}`,
            `${w.sharedCpus.ratioToRawSignals} (p99 ${w.sharedCpus.p99RatioToRawSignals})`,
          ],
        ]
      : []),
    ['Activation throughput', `${a.subscriptionsPerSecond} subscriptions/s (N=${a.n}, ${a.seconds} s), ${a.stateTransitionsPerSubscription} state transitions each`, `empty workflow, ${a.shape.activities} activities / ${a.shape.signals} signals / ${a.shape.timers} timers: ${a.baselinePerSecond} workflows/s, ${a.baselineStateTransitions} state transitions each`, `${a.ratio}`],
    ['', `history: ${a.shape.events} events, ${a.shape.workflowTasks} workflow tasks; signals after activity ${a.shape.signalsAfter.join(', ')}`, `history: ${a.baselineShape.events} events, ${a.baselineShape.workflowTasks} workflow tasks; signals after activity ${a.baselineShape.signalsAfter.join(', ')}`, ''],
    ['', `CPU per activation: ${activationCpu(a.cpuMsPerSubscription.chargeloop)}`, `CPU per baseline activation: ${activationCpu(a.cpuMsPerSubscription.baseline)}`, ''],
    [
      'Renewal storm',
      `${s.achievedPerSecond} charges/s at the gateway (N=${s.n}, ${s.workers} workers); peak ${s.peakPerSecond} in 1 s, ${s.peakPer60s} in 60 s${s.exceededLimit ? ' (over the limit)' : ''}; last renewal ${s.lastRenewalSeconds} s after the due instant (floor ${s.minimumSeconds} s)${s.late ? `; ${s.late} late` : ''}`,
      `chargesPerSecond ${s.configuredPerSecond} on the connection (server-side, per charge queue)`,
      `${s.ratioToLimit}`,
    ],
  ];
  if (r.testClock) {
    const t = r.testClock;
    rows.push(['Test clock, one month advanced', `p50 ${t.wallMsPerMonth.p50} ms, max ${t.wallMsPerMonth.max} ms of wall time per simulated month (${t.months} months)`, `Temporal server ${t.server}`, '']);
  }
  const m = r.memory;
  m.subscriptions.forEach((l, i) => {
    const b = m.baseline[i];
    const isLast = i === m.subscriptions.length - 1;
    rows.push([
      `Memory, ${l.open} open subscriptions`,
      `worker ${mib(l.workerRssBytes)} MiB RSS (+${kib(l.workerBytesPerWorkflow)} KiB per subscription), API ${mib(l.apiRssBytes)} MiB (${kib(l.apiBytesPerWorkflow)} KiB per subscription)`,
      b ? `${b.open} empty workflows on a timer: +${kib(b.workerBytesPerWorkflow)} KiB each in the worker` : '',
      isLast ? `${m.ratio}` : `${b ? ratio(l.workerBytesPerWorkflow, b.workerBytesPerWorkflow) : ''}`,
    ]);
  });
  const header = ['Scenario', 'Chargeloop', 'Baseline (same run, same server)', 'Ratio'];
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    `Chargeloop bench ${r.startedAt} — ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; Temporal ${r.temporal.server}, ${r.temporal.persistence === 'postgresql' ? 'PostgreSQL' : `SQLite ${r.temporal.sqlitePragmas.join(' ')}`}`,
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
    `Idle RSS (a fresh worker process for each kind): worker ${mib(m.idle.baseline.workerRssBytes)} MiB before the empty workflows, ${mib(m.idle.subscriptions.workerRssBytes)} MiB before the subscriptions; API ${mib(m.idle.baseline.apiRssBytes)} MiB. Worker sticky cache: ${m.workerMaxCachedWorkflows} workflows per worker (SDK default for this heap limit).`,
  ].join('\n');
}

/** Writes bench/results/<date>.json (or to BENCH_RESULTS_DIR) and returns the path. */
export function writeResults(r: BenchResults, dir = resolve(__dirname, 'results')): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${r.startedAt.slice(0, 10)}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

const activationCpu = (c: ActivationCpu): string =>
  `${c.total} ms (API ${c.api}, worker ${c.worker}, Temporal ${c.temporal}, sandbox ${c.sandbox}, peer ${c.peer}, load driver ${c.driver})`;
