import { Worker } from '@temporalio/worker';
import { createNotifyActivities } from '../../src/activities/notify';
import { cancelUpdate, gatewayEventSignal } from '../../src/shared/messages';
import { merchantEventId, type MerchantEvent } from '../../src/shared/merchant-events';
import { uniqueTaskQueue } from '../helpers/environments';
import { startMerchantReceiver } from '../helpers/merchant-receiver';
import { FakeActivities } from './support/fake-activities';
import { authorizationPaid, start, subscriptionInput, useHarness } from './support/harness';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/**
 * The real workflow's events through the real notifyMerchant activity, on the time-skipping server (so Temporal's
 * retry backoff passes in no time); only the gateway side is faked.
 */
describe('merchant events from the subscription workflow (time-skipping server)', () => {
  const h = useHarness();

  it('signs each event; a receiver failing twice still gets every event once per id, in sequence order', async () => {
    const receiver = await startMerchantReceiver(SECRET, (n) => (n <= 2 ? 500 : 204));
    try {
      const fake = new FakeActivities();
      const activities = { ...fake.activities(), ...createNotifyActivities({ endpoint: { url: receiver.url, secret: SECRET } }) };
      const taskQueue = uniqueTaskQueue('notify');
      const worker = await Worker.create({ connection: h.env.nativeConnection, taskQueue, workflowBundle: h.bundle, activities });
      const input = subscriptionInput({ gateway: 'razorpay' });
      await worker.runUntil(async () => {
        const handle = await start(h, taskQueue, input);
        await fake.checkoutOpened();
        await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: input.plan.amount, currency: input.plan.currency }));
        await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
        // The workflow delivers every pending event before it completes; result() lets the retry backoff pass.
        await handle.result();
      });

      expect(receiver.deliveries.every((d) => d.verified)).toBe(true);
      const accepted = receiver.deliveries.filter((d) => d.status < 300).map((d) => JSON.parse(d.body) as MerchantEvent);
      expect(accepted.map((e) => e.type)).toEqual(['subscription.activated', 'invoice.paid', 'subscription.canceled']);
      expect(accepted.map((e) => e.sequence)).toEqual([1, 2, 3]);
      expect(accepted.map((e) => e.id)).toEqual([1, 2, 3].map((n) => merchantEventId(input.subscriptionId, n)));
      // Retries reuse the event's id, so a merchant that did process a "failed" attempt can dedupe.
      const first = merchantEventId(input.subscriptionId, 1);
      expect(receiver.deliveries.slice(0, 3).map((d) => [d.id, d.status])).toEqual([[first, 500], [first, 500], [first, 204]]);
      expect(receiver.deliveries).toHaveLength(5);
    } finally {
      await receiver.close();
    }
  });

  it('the receiver really verifies: a signature made with another secret is refused', async () => {
    const receiver = await startMerchantReceiver('whsec_' + Buffer.from('another secret, 32 bytes long!!!').toString('base64'), () => 204);
    try {
      const { Webhook } = await import('standardwebhooks');
      const body = JSON.stringify({ id: 'x' });
      const now = new Date();
      await fetch(receiver.url, {
        method: 'POST',
        body,
        headers: { 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign('x', now, body) },
      });
      expect(receiver.deliveries).toEqual([expect.objectContaining({ verified: false, status: 401 })]);
    } finally {
      await receiver.close();
    }
  });
});
