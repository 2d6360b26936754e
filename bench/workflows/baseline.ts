import { condition, defineSignal, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

/** The shape of a real subscription's activation, counted from its history: the baseline does the same, empty. */
export interface BaselineInput {
  activities: number;
  signals: number;
  timers: number;
}

export const baselineSignal = defineSignal('baselineSignal');
/** The baseline of the API's `checkout` update: answers once the first activity (the checkout's) has completed. */
export const baselineCheckoutUpdate = defineUpdate<boolean>('baselineCheckout');

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

/**
 * The Temporal ceiling for one activation: the same number of activities, signals and timers as a real
 * subscription, with empty bodies. Timers are 1 ms sleeps, so each one is really started (a timer awaited beside
 * a condition that is already true is dropped by the SDK before it reaches history, and the bench's signals
 * arrive early): a started and fired timer costs about what the real started-then-cancelled one does.
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
  const runUpTo = async (n: number): Promise<void> => {
    for (; activities < n; activities++) await noop();
  };
  // Interleave as activation does: open a checkout (activity), wait for the webhook (signal), go on.
  const perSignal = Math.max(1, Math.ceil(input.activities / Math.max(1, input.signals)));
  for (let s = 1; s <= input.signals; s++) {
    await runUpTo(Math.min(input.activities, activities + perSignal));
    if (timers < input.timers) {
      timers += 1;
      await sleep(1);
    }
    await condition(() => received >= s);
  }
  await runUpTo(input.activities);
  for (; timers < input.timers; timers++) await sleep(1);
}
