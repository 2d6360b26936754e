import { gatewayEventSignals, stateQuery } from '../../src/shared/messages';
import { FakeActivities, monthly } from './support/fake-activities';
import { authorizationPaid, MINUTE, skipTo, start, startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

/**
 * Since 0.6.0 the API signals each gateway event under its own name, so the Temporal UI's timeline says what arrived.
 * The handling is the legacy `gatewayEvent` signal's, which stays registered for older APIs and histories.
 */
describe('gateway events signalled by name (0.6.0)', () => {
  const h = useHarness();

  it('a webhook signalled under its own name is handled, and the history names it', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      expect(view.status).toBe('active');
      const history = await handle.fetchHistory();
      const names = (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes?.signalName ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
      expect(names).toEqual(['gateway.charge.succeeded']);
    });
  });

  it('a payload under another type\'s name is ignored: the checkout expires as if it never came', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      // A success dressed as a decline: the timeline would say "charge.failed" while money moved.
      await handle.signal(gatewayEventSignals['charge.failed'], authorizationPaid(input, { amount: 5000, currency: 'NGN' }));
      await skipTo(h, (await h.env.currentTimeMs()) + input.authorizationWindowMs + MINUTE);
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'incomplete_expired', card: null });
      expect(fake.charges()).toHaveLength(0);
    });
  });
});
