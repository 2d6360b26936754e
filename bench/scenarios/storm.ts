import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { stateQuery } from '../../src/shared/messages';
import type { BenchConfig } from '../config';
import { STORM_CONNECTION_ID, type Stack } from '../stack';
import { runPool } from '../lib/pool';
import { progress } from '../lib/progress';
import { peakInWindow, steadyPerSecond } from '../lib/rate-window';
import { ratio, round } from '../lib/stats';
import { checkoutUrlOf, countWorkflows, payAtCheckout, startDirect, statusQuery } from '../lib/subscriptions';
import { pollUntil, retrying } from '../lib/wait';

export interface StormResult {
  n: number;
  /** Worker processes polling the subscription queue and the storm connection's charge queue. */
  workers: number;
  /** The storm connection's `chargesPerSecond`, which the server enforces on its charge queue. */
  configuredPerSecond: number;
  /** At the gateway: (charges - 1) / (last - first) of the sandbox's `created_at` for each renewal's charge request. */
  achievedPerSecond: number;
  /** achieved / configured: at most 1 when the limit is honoured, near 1 when the limit is the bottleneck. */
  ratioToLimit: number;
  /** Most charge requests the sandbox received in any 1 s window (the server's bucket allows a burst at the start). */
  peakPerSecond: number;
  /** Most in any 60 s window, the window Paystack counts its limit in (the whole storm when it is shorter). */
  peakPer60s: number;
  /** True when any 60 s window held more than chargesPerSecond x 60: the gateway would have answered 429. */
  exceededLimit: boolean;
  /** Renewals / seconds from the due instant to the last one's success as the workflow recorded it. */
  recordedPerSecond: number;
  /** From the shared due instant to the last renewal's recorded success. */
  lastRenewalSeconds: number;
  /** The floor the limit imposes: n / limit. */
  minimumSeconds: number;
  /** Subscriptions still unauthorized at the due instant (they charge late and are left out of the figures). */
  late: number;
}

/**
 * N subscriptions whose first renewal falls on one instant. The REST API has no billing anchor, so they are started
 * with the client (the same input the API builds, plus `billingAnchor`); each card is authorized through the sandbox
 * checkout; they then wait (trialing) for the anchor and all come due together. Two worker processes poll the storm
 * connection's charge queue and the server dispatches its charges at the connection's `chargesPerSecond`; when each
 * charge request reached the gateway is read back from the sandbox, each renewal's recorded success from its state.
 */
export async function runStorm(stack: Stack, cfg: BenchConfig, activationPerSecond: number, timeoutMs: number): Promise<StormResult> {
  const { client } = stack;
  // Two worker processes, so the limit has to hold across workers: the server's, per charge queue.
  progress('storm', `second worker process started (pid ${await stack.addWorker()})`);
  const n = cfg.stormN;
  const id = (i: number): string => `storm-${i}`;
  // Time to authorize them all, from the activation scenario's pace plus a margin: all must be waiting at the
  // anchor. (Authorizing alone is lighter than a whole activation, yet N / rate + 20 s left 5% late on a busy run.)
  const setupSeconds = Math.ceil((n / Math.max(1, activationPerSecond)) * 1.25 + 20);
  const anchor = Date.now() + setupSeconds * 1000;
  progress('storm', `${n} subscriptions due at ${new Date(anchor).toISOString()} (in ${setupSeconds} s); authorizing them`);
  let paid = 0;
  await runPool(n, cfg.clientConcurrency, async (i) => {
    await startDirect(client, id(i), STORM_CONNECTION_ID, { billingAnchor: new Date(anchor).toISOString() });
    // Generous: on a saturated machine a first workflow task can wait tens of seconds (seen at load 8 on 2 cores).
    await payAtCheckout(await checkoutUrlOf(client, id(i), 180_000));
    paid += 1;
    if (paid % 100 === 0) progress('storm', `${paid}/${n} authorized`);
  });
  await pollUntil('subscriptions waiting for the anchor', 'storm', Math.max(1000, anchor - Date.now()), async () => {
    const waiting = await countWorkflows(client, statusQuery(STORM_CONNECTION_ID, 'trialing'));
    return { done: waiting >= n || Date.now() >= anchor - 500, note: `${waiting}/${n} trialing` };
  });
  const late = n - (await countWorkflows(client, statusQuery(STORM_CONNECTION_ID, 'trialing')));
  progress('storm', `${n - late}/${n} waiting for the anchor; renewals due in ${Math.max(0, Math.round((anchor - Date.now()) / 1000))} s`);
  await pollUntil('renewals charged', 'storm', timeoutMs, async () => {
    const active = await countWorkflows(client, statusQuery(STORM_CONNECTION_ID, 'active'));
    return { done: active >= n, note: `${active}/${n} renewed (limit ${cfg.stormRatePerSecond}/s)` };
  });

  const key = sandboxPaystackKey();
  const renewals = await runPool(n, cfg.clientConcurrency, async (i) => {
    const view = await retrying(5, () => client.workflow.getHandle(subscriptionWorkflowId(id(i))).query(stateQuery));
    const charge = view.charges.find((c) => c.cycle === 1 && c.kind !== 'authorization' && c.outcome === 'succeeded');
    if (!charge) throw new Error(`${id(i)}: no successful cycle-1 charge on the stored card`);
    return { recorded: Date.parse(charge.at), atGateway: await gatewayReceivedAt(stack.sandboxUrl, key, charge.reference) };
  });
  const times = renewals.map((r) => r.recorded);
  const gateway = renewals.filter((r) => r.recorded >= anchor).map((r) => r.atGateway);
  const achievedAtGateway = steadyPerSecond(gateway);
  const peakPerSecond = peakInWindow(gateway, 1000);
  const peakPer60s = peakInWindow(gateway, 60_000);
  // Rate over the storm window, from the due instant to the last recorded success. (Spacing between the first and
  // last success alone can read above the limit: the first one also carries the timer's and the task's latency.)
  const onTime = times.filter((t) => t >= anchor);
  const last = Math.max(...onTime);
  const achieved = onTime.length > 0 && last > anchor ? onTime.length / ((last - anchor) / 1000) : 0;
  return {
    n,
    workers: 2,
    configuredPerSecond: cfg.stormRatePerSecond,
    achievedPerSecond: round(achievedAtGateway),
    ratioToLimit: ratio(achievedAtGateway, cfg.stormRatePerSecond),
    peakPerSecond,
    peakPer60s,
    exceededLimit: peakPer60s > cfg.stormRatePerSecond * 60,
    recordedPerSecond: round(achieved),
    lastRenewalSeconds: round((last - anchor) / 1000, 1),
    minimumSeconds: round(n / cfg.stormRatePerSecond, 1),
    late,
  };
}

/** The storm connection's Paystack key: the sandbox's own account (sandbox/connections.json, as bench/stack.ts writes it). */
function sandboxPaystackKey(): string {
  const file = resolve(__dirname, '../../sandbox/connections.json');
  const accounts = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { keys: { secretKey?: string } }>;
  const key = accounts['paystack-sandbox']?.keys.secretKey;
  if (!key) throw new Error(`${file}: no paystack-sandbox secret key`);
  return key;
}

/** When the sandbox received the charge request: its Paystack transaction's `created_at`, read back with verify. */
async function gatewayReceivedAt(sandboxUrl: string, key: string, reference: string): Promise<number> {
  const res = await fetch(`${sandboxUrl}/paystack/transaction/verify/${encodeURIComponent(reference)}`, { headers: { authorization: `Bearer ${key}` } });
  const body = (await res.json()) as { data?: { created_at?: string } };
  const at = body.data?.created_at;
  if (res.status !== 200 || !at) throw new Error(`sandbox verify ${reference}: ${res.status}`);
  return Date.parse(at);
}
