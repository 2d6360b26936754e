import type { temporal } from '@temporalio/proto';
import { chargeReference } from '../../src/shared/ids';
import { gatewayEventSignals, pauseUpdate, resumeUpdate, stateQuery } from '../../src/shared/messages';
import { FakeActivities, monthly } from './support/fake-activities';
import { authorizationPaid, DAY, recordHistory, skipTo, startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const timersStarted = (events: HistoryEvent[]): HistoryEvent[] => events.filter((e) => e.timerStartedEventAttributes);
const timersCanceled = (events: HistoryEvent[]): HistoryEvent[] => events.filter((e) => e.timerCanceledEventAttributes);

/**
 * Since 0.7.0 the loop's timer survives an early wake-up (src/workflows/loop-timer.ts): a webhook that changes nothing
 * wakes the loop, which applies it and asks again for the same instant, and the running timer answers. Before, each
 * such webhook cancelled the timer and started the same one again: two history events per webhook.
 */
describe("the loop's timer across wake-ups (0.7.0)", () => {
  const h = useHarness();

  it('webhooks that change nothing neither cancel nor restart the renewal timer, and the renewal still comes on time', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      const before = (await handle.fetchHistory()).events ?? [];
      const renewalTimer = timersStarted(before).at(-1)!;
      expect(renewalTimer.timerStartedEventAttributes?.startToFireTimeout?.seconds).toBeDefined();

      // Five signed successes for a cycle this subscription never billed: each is applied and changes nothing.
      for (let i = 1; i <= 5; i += 1) {
        const reference = chargeReference(input.subscriptionId, 900, i);
        await handle.signal(gatewayEventSignals['charge.succeeded'], authorizationPaid(input, { amount: 500_000, currency: 'NGN' }, { reference, eventId: `evt-${reference}`, gatewayTransactionId: `tx-${reference}` }));
        // Each in its own workflow task: the query answers after the signal's task.
        await handle.query(stateQuery);
      }
      const after = ((await handle.fetchHistory()).events ?? []).slice(before.length);
      expect(after.filter((e) => e.workflowExecutionSignaledEventAttributes)).toHaveLength(5);
      expect(timersStarted(after)).toHaveLength(0);
      expect(timersCanceled(after)).toHaveLength(0);
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'active', cycle: 1 });

      // The timer that was kept is the one that bills cycle 2, at the period's end.
      const renewalsBefore = fake.charges().length;
      await skipTo(h, Date.parse(view.nextChargeAt!) + DAY);
      expect(fake.charges().length).toBe(renewalsBefore + 1);
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'active', cycle: 2 });
      await recordHistory(h, 'paystack-webhooks-keep-loop-timer', handle);
    });
  });

  it('a wake-up that moves the instant replaces the timer: a pause cancels it, a resume starts the next one', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'razorpay', plan: monthly('INR') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const before = (await handle.fetchHistory()).events ?? [];
      await handle.executeUpdate(pauseUpdate);
      const paused = ((await handle.fetchHistory()).events ?? []).slice(before.length);
      expect(timersCanceled(paused)).toHaveLength(1);
      expect(timersStarted(paused)).toHaveLength(0);
      await handle.executeUpdate(resumeUpdate);
      const resumed = ((await handle.fetchHistory()).events ?? []).slice(before.length + paused.length);
      expect(timersStarted(resumed)).toHaveLength(1);
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'active' });
    });
  });
});
