import { subscriptionWorkflowId } from '../../src/shared/ids';
import type { Stack } from '../stack';
import { ACTIVATION_CONNECTION_ID } from '../stack';
import type { BenchConfig } from '../config';
import { BASELINE_ROUTES } from '../processes/baseline-routes';
import { cpuDuring } from '../lib/cpu';
import { meanShape, meanStateTransitions, sampleIndexes, type HistoryShape } from '../lib/history';
import type { BaselineInput } from '../workflows/baseline';
import { runPool } from '../lib/pool';
import { progress } from '../lib/progress';
import { ratio, round } from '../lib/stats';
import { checkoutUrlOf, countWorkflows, createRetries, createViaApi, payAtCheckout, statusQuery } from '../lib/subscriptions';
import { pollUntil } from '../lib/wait';

export interface ActivationResult {
  n: number;
  subscriptionsPerSecond: number;
  baselinePerSecond: number;
  ratio: number;
  stateTransitionsPerSubscription: number;
  baselineStateTransitions: number;
  /** Activities, signals and timers of a real activation (mean over a sample), which the baseline repeats empty. */
  shape: HistoryShape;
  baselineShape: HistoryShape;
  /** Both halves' seconds added up (see `order`). */
  seconds: number;
  baselineSeconds: number;
  /**
   * Each side runs in two halves of N/2, ABBA (Chargeloop, baseline, baseline, Chargeloop), so a machine that is
   * faster or slower for a while weighs on both sides alike. Rates are all activations / both halves' seconds.
   */
  order: ('chargeloop' | 'baseline')[];
  /** Creates answered without a checkout URL (the API's wait ran out under load); the bench read it afterwards. */
  lateCheckouts: number;
  /** Creates answered 503 (Temporal past the API's deadline on a saturated machine) and retried; 0 on a quiet one. */
  retriedCreates: number;
  /**
   * CPU ms per activation in each process, for Chargeloop and for the baseline: on two shared cores the ratio is
   * about total CPU, and this says whose. The sandbox does the gateway's part (checkout, webhook, verify, refund,
   * charge); the baseline's gateway is the bare peer, which answers its calls and sends its webhooks, nothing more.
   */
  cpuMsPerSubscription: { chargeloop: ActivationCpu; baseline: ActivationCpu };
}

export interface ActivationCpu {
  api: number;
  worker: number;
  temporal: number;
  sandbox: number;
  /** The bench's peer process: Chargeloop's merchant endpoint, the baseline's gateway (processes/peer.ts). */
  peer: number;
  driver: number;
  total: number;
}

const perActivation = (cpu: Omit<ActivationCpu, 'total'>, n: number): ActivationCpu => {
  const each = Object.fromEntries(Object.entries(cpu).map(([k, ms]) => [k, round(ms / n, 2)])) as Omit<ActivationCpu, 'total'>;
  return { ...each, total: round(Object.values(cpu).reduce((a, b) => a + b, 0) / n, 2) };
};

export const activationId = (i: number): string => `act-${i}`;
const SAMPLE = 20;

/**
 * N subscriptions through the merchant's path: POST /v1/subscriptions (waits for the checkout), the customer's form
 * POST on the sandbox checkout, the sandbox's signed webhook back through the API, the authorization refund and the
 * first charge, until all are `active` (counted in visibility). Beside it the baseline (each side in two halves,
 * ABBA: `ActivationResult.order`): N workflows with
 * the same number of activities, signals and timers, with empty bodies, on the same server and worker process, driven
 * through the same HTTP legs (create, checkout POST, webhooks) on bare routes, each activity one POST to a bare peer
 * (Chargeloop's activities POST to the sandbox and to the merchant endpoint), so the ratio is Chargeloop's own cost.
 */
export async function runActivation(stack: Stack, cfg: BenchConfig, timeoutMs: number): Promise<ActivationResult> {
  const pids = { api: stack.pids.api, worker: stack.pids.worker, temporal: stack.pids.temporal, sandbox: stack.pids.sandbox, peer: stack.pids.peer, driver: process.pid };
  const { client } = stack;
  const n = cfg.n;
  const halves: [Half, Half] = [{ from: 0, to: Math.ceil(n / 2) }, { from: Math.ceil(n / 2), to: n }];
  const order: ActivationResult['order'] = ['chargeloop', 'baseline', 'baseline', 'chargeloop'];
  const add = <K extends string>(a: Record<K, number>, b: Record<K, number>): Record<K, number> =>
    Object.fromEntries(Object.keys(a).map((k) => [k, a[k as K] + b[k as K]])) as Record<K, number>;

  const real1 = await cpuDuring(pids, () => activate(stack, cfg, halves[0], timeoutMs));
  // The shape comes from the first half: the baseline needs it before its own first half.
  const sampleIds = sampleIndexes(halves[0].to, SAMPLE).map((i) => subscriptionWorkflowId(activationId(i)));
  const shape = await meanShape(client, sampleIds);
  const stateTransitions = await meanStateTransitions(client, sampleIds);
  progress('activation', `real activation: ${shape.activities} activities, ${shape.signals} signals, ${shape.timers} timers, ${stateTransitions} state transitions; baseline next`);

  const baselineShape = { activities: shape.activities, signals: shape.signals, timers: shape.timers, signalsAfter: shape.signalsAfter };
  const base1 = await cpuDuring(pids, () => runBaseline(stack, cfg, baselineShape, halves[0], timeoutMs));
  const base2 = await cpuDuring(pids, () => runBaseline(stack, cfg, baselineShape, halves[1], timeoutMs));
  const real2 = await cpuDuring(pids, () => activate(stack, cfg, halves[1], timeoutMs));

  const seconds = real1.result.seconds + real2.result.seconds;
  const baselineSeconds = base1.result.seconds + base2.result.seconds;
  progress('activation', `${n} active in ${seconds.toFixed(1)} s against ${baselineSeconds.toFixed(1)} s for the baseline (ABBA halves)`);
  const baselineIds = sampleIndexes(n, SAMPLE).map(baselineId);
  const rate = n / seconds;
  const baselineRate = n / baselineSeconds;
  return {
    n,
    subscriptionsPerSecond: round(rate),
    baselinePerSecond: round(baselineRate),
    ratio: ratio(rate, baselineRate),
    stateTransitionsPerSubscription: stateTransitions,
    baselineStateTransitions: await meanStateTransitions(client, baselineIds),
    shape,
    baselineShape: await meanShape(client, baselineIds),
    seconds: round(seconds, 1),
    baselineSeconds: round(baselineSeconds, 1),
    order,
    lateCheckouts: real1.result.lateCheckouts + real2.result.lateCheckouts,
    retriedCreates: createRetries.count,
    cpuMsPerSubscription: { chargeloop: perActivation(add(real1.cpuMs, real2.cpuMs), n), baseline: perActivation(add(base1.cpuMs, base2.cpuMs), n) },
  };
}

/** Indexes `from` (inclusive) to `to` (exclusive) of the N activations: one half of the ABBA order. */
interface Half {
  from: number;
  to: number;
}
const baselineId = (i: number): string => `baseline-${i}`;

/**
 * The subscriptions of one half from create to `active`; the clock stops when all of them are active in visibility
 * (the halves before it stay active, so the count to reach is `half.to`).
 */
async function activate(stack: Stack, cfg: BenchConfig, half: Half, timeoutMs: number): Promise<{ seconds: number; lateCheckouts: number }> {
  const { client } = stack;
  const n = half.to - half.from;
  const started = Date.now();
  let paid = 0;
  let lateCheckouts = 0;
  const driving = runPool(n, cfg.clientConcurrency, async (k) => {
    const i = half.from + k;
    const view = await createViaApi(stack.apiUrl, activationId(i), ACTIVATION_CONNECTION_ID);
    let url = view.authorization.checkoutUrl;
    if (!url) {
      // The API answers 201 without a URL when the checkout took longer than its wait (a saturated worker); the
      // merchant then reads the subscription again, as the bench does here.
      lateCheckouts += 1;
      url = await checkoutUrlOf(client, activationId(i), timeoutMs);
    }
    await payAtCheckout(url);
    paid += 1;
  });
  let driveError: Error | undefined;
  driving.catch((err: unknown) => (driveError = err instanceof Error ? err : new Error(String(err))));
  await pollUntil('subscriptions active', 'activation', timeoutMs, async () => {
    if (driveError) throw driveError;
    const active = (await countWorkflows(client, statusQuery(ACTIVATION_CONNECTION_ID, 'active'))) - half.from;
    return { done: active >= n, note: `${paid}/${n} paid, ${active}/${n} active` };
  });
  await driving;
  return { seconds: (Date.now() - started) / 1000, lateCheckouts };
}

/** One bare HTTP leg of the baseline: a POST that must answer 2xx. */
async function post(url: string, init: { body: string; contentType: string }): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': init.contentType }, body: init.body });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`POST ${url}: ${res.status}`);
}

/**
 * The baseline with the same HTTP legs as a real activation, each bare (processes/baseline-routes.ts): a create
 * that starts the workflow and waits on its checkout update, the checkout form POST, and one webhook per signal.
 */
async function runBaseline(stack: Stack, cfg: BenchConfig, shape: Pick<HistoryShape, 'activities' | 'signals' | 'timers' | 'signalsAfter'>, half: Half, timeoutMs: number) {
  const { client } = stack;
  const n = half.to - half.from;
  const base = `${stack.apiUrl}${BASELINE_ROUTES}`;
  const started = Date.now();
  // Each signal arrives where the real ones did (shape.signalsAfter): those after the checkout go out beside the
  // driver, as the sandbox sends them once its checkout answers (a client slot covers create and checkout only, as
  // for a real activation); the later ones are sent when the baseline's activity that asks for them has answered
  // (processes/baseline-gateway.ts), as the gateway answers the refund and the charge. Before, the driver sent every
  // signal after the checkout, and the three shared one workflow task that the real ones never share.
  const fromDriver = shape.signalsAfter.filter((a) => a <= 1).length;
  const webhooks: Promise<void>[] = [];
  const sendWebhooks = async (i: number): Promise<void> => {
    for (let s = 0; s < fromDriver; s++) await post(`${base}/${i}/webhook`, { body: JSON.stringify({ event: 'charge.success', n: s }), contentType: 'application/json' });
  };
  const driving = runPool(n, cfg.clientConcurrency, async (k) => {
    const i = half.from + k;
    const input: BaselineInput = { ...shape, webhookUrl: `${base}/${i}/webhook` };
    await post(`${base}/${i}`, { body: JSON.stringify(input), contentType: 'application/json' });
    await post(`${base}/${i}/checkout`, { body: new URLSearchParams({ card_number: '4084084084084081', expiry: '12/30', cvv: '408' }).toString(), contentType: 'application/x-www-form-urlencoded' });
    const sent = sendWebhooks(i);
    sent.catch(() => undefined);
    webhooks.push(sent);
  }).then(async () => void (await Promise.all(webhooks)));
  let driveError: Error | undefined;
  driving.catch((err: unknown) => (driveError = err instanceof Error ? err : new Error(String(err))));
  const done = "WorkflowType='baselineWorkflow' AND ExecutionStatus='Completed'";
  await pollUntil('baseline workflows completed', 'activation baseline', timeoutMs, async () => {
    if (driveError) throw driveError;
    const completed = (await countWorkflows(client, done)) - half.from;
    return { done: completed >= n, note: `${completed}/${n} completed` };
  });
  await driving;
  return { seconds: (Date.now() - started) / 1000 };
}
