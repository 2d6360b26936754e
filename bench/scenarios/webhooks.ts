import { performance } from 'node:perf_hooks';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { gatewayEventSignals } from '../../src/shared/messages';
import type { BenchConfig } from '../config';
import { ACTIVATION_CONNECTION_ID, type Stack } from '../stack';
import { BARE_ROUTE } from '../processes/bare-route';
import { canPin, cpuDuring, cpuHalves, pinToCpus, untilIdle } from '../lib/cpu';
import { driveWebhooks, type LoadResult } from '../lib/drive-http';
import { signedWebhooks, type SignedWebhook } from '../lib/paystack-webhooks';
import { runPool } from '../lib/pool';
import { progress } from '../lib/progress';
import { mean, percentile, ratio, round } from '../lib/stats';

/** CPU ms per request in each process of the stack during a measurement (its settle time included). */
export interface CpuPerRequest {
  api: number;
  worker: number;
  temporal: number;
  /** This process: autocannon on the full path, the Temporal client on the raw-signal baseline. */
  driver: number;
  total: number;
}

/** One ABBA measurement of the full path against raw signals. */
export interface WebhookComparison {
  full: LoadResult;
  rawSignals: LoadResult;
  /** Full-path webhooks/s / raw signals/s at the same concurrency (1.0 = no overhead). */
  ratioToRawSignals: number;
  /** Full-path p99 / raw-signal p99 (target: at most 1.2). */
  p99RatioToRawSignals: number;
  /** Where each path's CPU went, per request: what the full path costs the machine beyond a raw signal. */
  cpuMsPerRequest: { full: CpuPerRequest; rawSignals: CpuPerRequest };
  /**
   * History events the subscriptions gained per request: a signal costs 4 (signal, workflow task ×3; the loop's
   * timer stands since 0.7.0) unless it arrives while its workflow's task is pending and shares it.
   */
  historyEventsPerRequest: { full: number; rawSignals: number };
}

export interface WebhookResult extends WebhookComparison {
  webhooks: number;
  connections: number;
  /**
   * The order each comparison ran in: ABBA (repeated when there are more passes), so drift over the run (a growing
   * database, the activation's last tasks, other load) weighs on both alike. Each pass sends an equal share of the
   * webhooks, and no more than there are subscriptions (see `passesPerPath`).
   */
  order: string[];
  bareRoute: LoadResult;
  ratioToBareRoute: number;
  /**
   * The CPUs of the comparison above (the result's own fields): the edge (API process and the load driver) on
   * one half of the machine, Temporal (server and worker) on the other, as a deployment runs API replicas beside,
   * not on, the Temporal hosts. Null when the machine has one CPU or no `taskset`: then everything shared them.
   */
  cpuLayout: { edge: string; temporal: string } | null;
  /** The same comparison with every process free to use every CPU: the API's own CPU competes with Temporal's. */
  sharedCpus: WebhookComparison | null;
}

const MAX_SECONDS = 120;
/** Passes per path at most (each followed by a settle of at least a second), whatever the webhook count. */
const MAX_PASSES_PER_PATH = 4;

/**
 * How many passes each path's `webhooks` are sent in: the fewest, and even (for ABBA), that keep a pass within
 * `subscriptions` webhooks, so no subscription is signalled twice in one pass (up to MAX_PASSES_PER_PATH).
 *
 * Why: a signal that reaches a workflow whose task is still pending shares that task, and costs Temporal about
 * half. Whether it does depends on how far the worker is behind, which depends on how fast the path being measured
 * delivers. With repeats inside a pass, the faster path was also the cheaper one per signal on Temporal's side:
 * 3.46 against 3.61 history events and 3-9% less worker and server CPU per request (2026-12-07, N = 1,000,
 * passes of 1,500). That measured Temporal's batching, not the edge. One signal per subscription per pass makes
 * each signal cost Temporal the same on both paths.
 */
export function passesPerPath(webhooks: number, subscriptions: number): number {
  const needed = Math.ceil(webhooks / Math.max(1, subscriptions));
  return Math.min(MAX_PASSES_PER_PATH, Math.max(2, needed + (needed % 2)));
}

/** ABBA, repeated for `passes` passes of each path: full, raw, raw, full, full, raw, raw, full, ... */
export function passOrder(passes: number): ('full' | 'raw')[] {
  return Array.from({ length: passes * 2 }, (_, i) => ((i % 4 === 0 || i % 4 === 3) ? 'full' : 'raw'));
}
/** Longest wait for the worker and server to finish the workflow tasks a measurement caused (counted in its CPU). */
const SETTLE_TIMEOUT_MS = 60_000;

interface Measured {
  load: LoadResult;
  cpuMs: Omit<CpuPerRequest, 'total'>;
  historyEvents: number;
}

/** Sends each event as the signal the API would send for it, `connections` in flight, with no HTTP in front. */
async function rawSignals(stack: Stack, batch: readonly SignedWebhook[], connections: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  await runPool(batch.length, connections, async (i) => {
    const w = batch[i]!;
    const t = performance.now();
    await stack.client.workflow.getHandle(subscriptionWorkflowId(w.subscriptionId)).signal(gatewayEventSignals[w.event.type], w.event);
    latencies.push(performance.now() - t);
  });
  const seconds = (performance.now() - started) / 1000;
  return { requests: batch.length, perSecond: batch.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), non2xx: 0, errors: 0 };
}

/** Rates add up over the runs (all requests / all seconds); latency percentiles are the runs' mean. */
function combine(runs: readonly Measured[]): { load: LoadResult; cpu: CpuPerRequest; historyEvents: number } {
  const requests = runs.reduce((s, r) => s + r.load.requests, 0);
  const seconds = runs.reduce((s, r) => s + r.load.requests / r.load.perSecond, 0);
  const perRequest = (key: keyof Measured['cpuMs']): number => round(runs.reduce((s, r) => s + r.cpuMs[key], 0) / requests, 3);
  const cpu = { api: perRequest('api'), worker: perRequest('worker'), temporal: perRequest('temporal'), driver: perRequest('driver') };
  return {
    load: {
      requests,
      perSecond: round(requests / seconds),
      p50Ms: round(mean(runs.map((r) => r.load.p50Ms))),
      p99Ms: round(mean(runs.map((r) => r.load.p99Ms))),
      non2xx: runs.reduce((s, r) => s + r.load.non2xx, 0),
      errors: runs.reduce((s, r) => s + r.load.errors, 0),
    },
    cpu: { ...cpu, total: round(cpu.api + cpu.worker + cpu.temporal + cpu.driver, 3) },
    historyEvents: round(runs.reduce((s, r) => s + r.historyEvents, 0) / requests, 2),
  };
}

/**
 * Signed Paystack webhooks through the whole edge (raw body, HMAC check, parse, dedupe, signal accepted by
 * Temporal), against (a) a bare Express route in the same API process and (b) the same signals sent by a client
 * with no HTTP in front, at the same concurrency. Targets the subscriptions the activation scenario left active.
 */
export async function runWebhooks(stack: Stack, cfg: BenchConfig, subscriptionIds: readonly string[]): Promise<WebhookResult> {
  const m = cfg.webhooks;
  const c = cfg.webhookConnections;
  const passes = passesPerPath(m, subscriptionIds.length);
  const perPass = Math.ceil(m / passes);
  const bareBodies = signedWebhooks(subscriptionIds, m, 800_000_000);
  const pids = { api: stack.pids.api, worker: stack.pids.worker, temporal: stack.pids.temporal, driver: process.pid };

  progress('webhooks', `bare route: ${m} requests, ${c} connections`);
  const bareRoute = await driveWebhooks(`${stack.apiUrl}${BARE_ROUTE}`, bareBodies, c, MAX_SECONDS);

  const historyLength = async (): Promise<number> => {
    const lengths = await runPool(subscriptionIds.length, 8, async (i) => (await stack.client.workflow.getHandle(subscriptionWorkflowId(subscriptionIds[i]!)).describe()).historyLength);
    return lengths.reduce((s, n) => s + n, 0);
  };
  // Webhook i goes to subscription i mod N (signedWebhooks), so each pass's slice names each subscription once.
  const measure = async (what: 'full' | 'raw', pass: number, bodies: readonly SignedWebhook[]): Promise<Measured> => {
    const batch = bodies.slice(pass * perPass, (pass + 1) * perPass);
    const eventsBefore = await historyLength();
    progress('webhooks', what === 'full' ? `full path: ${batch.length} signed webhooks to /webhooks/paystack/${ACTIVATION_CONNECTION_ID}` : `raw signals: ${batch.length} signals from the client, ${c} in flight`);
    const { result, cpuMs } = await cpuDuring(pids, async () => {
      const load = what === 'full' ? await driveWebhooks(`${stack.apiUrl}/webhooks/paystack/${ACTIVATION_CONNECTION_ID}`, batch, c, MAX_SECONDS) : await rawSignals(stack, batch, c);
      // Until the worker and the server are idle again: their backlog is this run's work, not the next one's.
      if (!(await untilIdle([pids.worker, pids.temporal], { timeoutMs: SETTLE_TIMEOUT_MS }))) progress('webhooks', '  still busy after 60 s; measuring on');
      return load;
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`webhooks: ${result.non2xx} non-2xx answers and ${result.errors} errors on the ${what} path`);
    const historyEvents = (await historyLength()) - eventsBefore;
    const per = (ms: number): string => (ms / batch.length).toFixed(2);
    progress('webhooks', `  ${round(result.perSecond)}/s, p99 ${round(result.p99Ms)} ms; CPU ms per request: API ${per(cpuMs.api)}, worker ${per(cpuMs.worker)}, Temporal ${per(cpuMs.temporal)}, driver ${per(cpuMs.driver)}; ${per(historyEvents)} history events`);
    return { load: result, cpuMs, historyEvents };
  };
  const order = passOrder(passes);
  // Each comparison signs its own bodies: a transaction id seen before would be a duplicate, not a new webhook.
  let nextId = 900_000_000;
  const compare = async (): Promise<WebhookComparison> => {
    const bodies = { full: signedWebhooks(subscriptionIds, m, nextId), raw: signedWebhooks(subscriptionIds, m, nextId + m) };
    nextId += 2 * m;
    const runs: Record<'full' | 'raw', Measured[]> = { full: [], raw: [] };
    for (const what of order) runs[what].push(await measure(what, runs[what].length, bodies[what]));
    const full = combine(runs.full);
    const raw = combine(runs.raw);
    return {
      full: full.load,
      rawSignals: raw.load,
      ratioToRawSignals: ratio(full.load.perSecond, raw.load.perSecond),
      p99RatioToRawSignals: ratio(full.load.p99Ms, raw.load.p99Ms),
      cpuMsPerRequest: { full: full.cpu, rawSignals: raw.cpu },
      historyEventsPerRequest: { full: full.historyEvents, rawSignals: raw.historyEvents },
    };
  };

  progress('webhooks', 'every process on every CPU');
  const shared = await compare();
  const halves = canPin() ? cpuHalves() : null;
  let split: WebhookComparison | null = null;
  if (halves) {
    progress('webhooks', `edge (API, load driver) on CPU ${halves.second}, Temporal (server, worker) on CPU ${halves.first}`);
    const edge = [stack.pids.api, process.pid];
    const temporal = [stack.pids.temporal, stack.pids.worker];
    try {
      for (const pid of edge) pinToCpus(pid, halves.second);
      for (const pid of temporal) pinToCpus(pid, halves.first);
      split = await compare();
    } finally {
      for (const pid of [...edge, ...temporal]) pinToCpus(pid, halves.all);
    }
  }
  const r = (x: LoadResult): LoadResult => ({ ...x, perSecond: round(x.perSecond), p50Ms: round(x.p50Ms), p99Ms: round(x.p99Ms) });
  return {
    webhooks: m,
    connections: c,
    order: [...order],
    ...(split ?? shared),
    bareRoute: r(bareRoute),
    ratioToBareRoute: ratio((split ?? shared).full.perSecond, bareRoute.perSecond),
    cpuLayout: split && halves ? { edge: halves.second, temporal: halves.first } : null,
    sharedCpus: split ? shared : null,
  };
}
