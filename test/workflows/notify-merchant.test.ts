import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createNotifyActivities } from '../../src/activities/notify';
import { merchantEventId, type MerchantDelivery, type MerchantEvent } from '../../src/shared/merchant-events';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../helpers/environments';
import { bundleFixtureWorkflows } from '../helpers/fixture-workers';
import { startMerchantReceiver } from '../helpers/merchant-receiver';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const event = (sequence: number, type: MerchantEvent['type']): MerchantEvent => ({
  id: merchantEventId('sub-notify', sequence),
  type,
  sequence,
  subscriptionId: 'sub-notify',
  customerId: 'cus_1',
  occurredAt: `2026-02-0${sequence}T09:00:00.000Z`,
  status: type === 'invoice.payment_failed' ? 'past_due' : 'active',
  data: { cycle: sequence, reference: `sub-notify-c${sequence}-a1` },
});

// Server start and bundling take longer than jest's default 5 s (jest.config.js's per-project testTimeout is not applied).
jest.setTimeout(60_000);

describe('notifyMerchant through Temporal (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: Awaited<ReturnType<typeof bundleFixtureWorkflows>>;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    bundle = await bundleFixtureWorkflows();
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });

  async function deliver(endpoint: { url: string; secret: string } | undefined, events: MerchantEvent[]): Promise<MerchantDelivery[]> {
    const taskQueue = uniqueTaskQueue('notify');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: createNotifyActivities({ endpoint }) });
    return worker.runUntil(env.client.workflow.execute<(e: MerchantEvent[]) => Promise<MerchantDelivery[]>>('deliverEvents', { taskQueue, workflowId: `notify-${taskQueue}`, args: [events] }));
  }

  it('signs each event; a receiver failing twice still gets every event once per id, in sequence order', async () => {
    // The first two deliveries fail, whatever they are; from then on each event is accepted.
    const receiver = await startMerchantReceiver(SECRET, (n) => (n <= 2 ? 500 : 204));
    try {
      const events = [event(1, 'subscription.activated'), event(2, 'invoice.paid'), event(3, 'invoice.payment_failed')];
      const records = await deliver({ url: receiver.url, secret: SECRET }, events);

      expect(receiver.deliveries.every((d) => d.verified)).toBe(true);
      const accepted = receiver.deliveries.filter((d) => d.status < 300);
      expect(accepted.map((d) => d.id)).toEqual(['sub-notify-1', 'sub-notify-2', 'sub-notify-3']);
      expect(accepted.map((d) => (JSON.parse(d.body) as MerchantEvent).sequence)).toEqual([1, 2, 3]);
      // Retries reuse the event's id, so a merchant that did process a "failed" attempt can dedupe.
      expect(receiver.deliveries.map((d) => d.id)).toEqual(['sub-notify-1', 'sub-notify-1', 'sub-notify-1', 'sub-notify-2', 'sub-notify-3']);
      // The delivery record is the activity result, so the history shows which attempt got through.
      expect(records).toEqual([
        { eventId: 'sub-notify-1', status: 'delivered', attempt: 3, httpStatus: 204 },
        { eventId: 'sub-notify-2', status: 'delivered', attempt: 1, httpStatus: 204 },
        { eventId: 'sub-notify-3', status: 'delivered', attempt: 1, httpStatus: 204 },
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('rejects a signature made with another secret', async () => {
    const receiver = await startMerchantReceiver('whsec_' + Buffer.from('another secret, 32 bytes long!!!').toString('base64'), () => 204);
    try {
      const { Webhook } = await import('standardwebhooks');
      const body = JSON.stringify(event(1, 'invoice.paid'));
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

  it('records and skips events when no endpoint is configured', async () => {
    const records = await deliver(undefined, [event(1, 'subscription.trial_started')]);
    expect(records).toEqual([{ eventId: 'sub-notify-1', status: 'skipped', attempt: 1, reason: 'MERCHANT_WEBHOOK_URL is not configured' }]);
  });
});
