import { subscriptionWorkflowId } from '../../src/shared/ids';
import { stateQuery } from '../../src/shared/messages';
import type { BenchConfig } from '../config';
import { STORM_CONNECTION_ID, type Stack } from '../stack';
import { runPool } from '../lib/pool';
import { progress } from '../lib/progress';
import { ratio, round } from '../lib/stats';
import { checkoutUrlOf, countWorkflows, payAtCheckout, startDirect, statusQuery } from '../lib/subscriptions';
import { pollUntil, retrying } from '../lib/wait';

export interface StormResult {
  n: number;
  configuredPerSecond: number;
  /** Renewals charged on time / seconds from the due instant to the last one's recorded success. */
  achievedPerSecond: number;
  /** achieved / configured: at most 1 when the limit is honoured, near 1 when the limit is the bottleneck. */
  ratioToLimit: number;
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
 * checkout; they then wait (trialing) for the anchor and all come due together. The worker spaces chargeCard calls on
 * this connection to the configured per-gateway limit; each renewal's success time is read back from its state.
 */
export async function runStorm(stack: Stack, cfg: BenchConfig, activationPerSecond: number, timeoutMs: number): Promise<StormResult> {
  const { client } = stack;
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
    await payAtCheckout(await checkoutUrlOf(client, id(i), 60_000));
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

  const times = await runPool(n, cfg.clientConcurrency, async (i) => {
    const view = await retrying(5, () => client.workflow.getHandle(subscriptionWorkflowId(id(i))).query(stateQuery));
    const charge = view.charges.find((c) => c.cycle === 1 && c.kind === 'renewal' && c.outcome === 'succeeded');
    if (!charge) throw new Error(`${id(i)}: no successful cycle-1 renewal`);
    return Date.parse(charge.at);
  });
  // Rate over the storm window, from the due instant to the last recorded success. (Spacing between the first and
  // last success alone can read above the limit: the first one also carries the timer's and the task's latency.)
  const onTime = times.filter((t) => t >= anchor);
  const last = Math.max(...onTime);
  const achieved = onTime.length > 0 && last > anchor ? onTime.length / ((last - anchor) / 1000) : 0;
  return {
    n,
    configuredPerSecond: cfg.stormRatePerSecond,
    achievedPerSecond: round(achieved),
    ratioToLimit: ratio(achieved, cfg.stormRatePerSecond),
    lastRenewalSeconds: round((last - anchor) / 1000, 1),
    minimumSeconds: round(n / cfg.stormRatePerSecond, 1),
    late,
  };
}
