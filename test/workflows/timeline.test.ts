import { stateQuery } from '../../src/shared/messages';
import { declined, FakeActivities, monthly, succeeded } from './support/fake-activities';
import { MINUTE, skipTo, startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

/** What an operator reads in the Temporal UI: a declined charge is named as one in the step that follows it. */
describe('a decline in the timeline (0.6.0)', () => {
  const h = useHarness();

  it('the delivery after a declined renewal names the attempt and the reason', async () => {
    const fake = new FakeActivities();
    fake.charge = (input) => (/-c1-a\d+$/.test(input.reference) ? succeeded(input) : declined(input, 'Insufficient Funds'));
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + MINUTE);
      expect((await handle.query(stateQuery)).status).toBe('unpaid');
      await fake.waitForEvent('subscription.unpaid');
      const history = await handle.fetchHistory();
      const summaries = (history.events ?? []).flatMap((e) => {
        const data = e.activityTaskScheduledEventAttributes && e.userMetadata?.summary?.data;
        return data ? [JSON.parse(Buffer.from(data).toString('utf8')) as string] : [];
      });
      expect(summaries).toContain('charge cycle 2 attempt 1: NGN 1500.00');
      expect(summaries.some((s) => /^notify invoice\.payment_failed #\d+ \(c2-a1: Insufficient Funds\)$/.test(s))).toBe(true);
    });
  });
});
