import { condition, defineSignal, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

/** The shape of a real subscription's activation, counted from its history: the baseline does the same, empty. */
export interface BaselineInput {
  activities: number;
  signals: number;
  timers: number;
  /**
   * For each signal, how many activities complete before it arrives (HistoryShape.signalsAfter). A signal placed after
   * the second activity or later is a gateway's webhook answering that activity: the activity asks for it (see
   * `gatewayCall`), as Chargeloop's refund and charge requests make the gateway send one. Signals placed earlier come
   * from the bench's driver after the checkout POST, as the sandbox sends the checkout's. Absent: every signal comes
   * from the driver (the memory scenario's baseline, whose signal never comes).
   */
  signalsAfter?: number[];
  /** Where an activity's webhooks go: the bare webhook route of this workflow. */
  webhookUrl?: string;
}

/**
 * The baseline's one activity, a bare gateway call (processes/baseline-gateway.ts): one POST to the bench's peer,
 * which answers and then sends `webhooks` POSTs to `webhookUrl`.
 */
export interface BaselineActivities {
  gatewayCall(request: { webhookUrl?: string; webhooks: number }): Promise<void>;
}

export const baselineSignal = defineSignal('baselineSignal');
/** The baseline of the API's `checkout` update: answers once the first activity (the checkout's) has completed. */
export const baselineCheckoutUpdate = defineUpdate<boolean>('baselineCheckout');

const { gatewayCall } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });

/**
 * The Temporal ceiling for one activation: the same number of activities, signals and timers as a real
 * subscription, with empty bodies, and each signal arriving at the same point of the run (after the same number of
 * completed activities), so signals share workflow tasks as often as the real ones do. A wait for a signal that is
 * not there yet starts a timer that the signal cancels, as Chargeloop's wait does; timers still missing from the
 * real count are 1 ms sleeps that start and fire at the end.
 */
export async function baselineWorkflow(input: BaselineInput): Promise<void> {
  let received = 0;
  let timers = 0;
  let activities = 0;
  setHandler(baselineSignal, () => void (received += 1));
  setHandler(baselineCheckoutUpdate, async () => {
    await condition(() => activities >= 1);
    return true;
  });
  // Activity k (1-based) asks for the webhooks of the signals placed right after it, from the second activity on.
  const after = input.signalsAfter;
  const webhooksOf = (k: number): number => (after && k >= 2 ? after.filter((a) => a === k).length : 0);
  const runUpTo = async (n: number): Promise<void> => {
    for (; activities < n; activities++) await gatewayCall({ webhookUrl: input.webhookUrl, webhooks: webhooksOf(activities + 1) });
  };
  // Interleave as activation does: open a checkout (activity), wait for the webhook (signal), go on.
  const perSignal = Math.max(1, Math.ceil(input.activities / Math.max(1, input.signals)));
  for (let s = 1; s <= input.signals; s++) {
    const place = after?.[s - 1];
    await runUpTo(Math.min(input.activities, place !== undefined ? Math.max(1, place) : activities + perSignal));
    if (timers < input.timers && received < s) {
      // As Chargeloop's wait for a webhook: a timer started, then cancelled by the signal. A signal already here
      // (it shared the activity's workflow task) needs no wait, and the SDK sends no timer for it.
      timers += 1;
      await condition(() => received >= s, '1 day');
    }
    await condition(() => received >= s);
  }
  await runUpTo(input.activities);
  // Timers the waits did not start (their signals were already there) start and fire here, 1 ms each, so the
  // baseline starts as many as the real run.
  for (; timers < input.timers; timers++) await sleep(1);
}
