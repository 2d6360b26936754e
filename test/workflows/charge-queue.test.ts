import type { temporal } from '@temporalio/proto';
import { chargeTaskQueue } from '../../src/shared/task-queues';
import { SubscriptionWorkers } from '../../src/worker/subscription-workers';
import { uniqueTaskQueue } from '../helpers/environments';
import { FakeActivities } from './support/fake-activities';
import { startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

const h = useHarness();

const scheduledQueues = (history: temporal.api.history.v1.IHistory): [string, string][] =>
  (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a): a is temporal.api.history.v1.IActivityTaskScheduledEventAttributes => !!a)
    .map((a) => [a.activityType?.name ?? '', a.taskQueue?.name ?? '']);

/**
 * The product's rate limit per gateway connection: a charge is scheduled on its connection's charge queue, which
 * every worker polls with that connection's maxTaskQueueActivitiesPerSecond; the other activities stay on the
 * workflow's queue, unthrottled.
 */
describe('charges on the connection queue', () => {
  it('schedules chargeCard on its connection queue and checkouts and refunds on the workflow queue', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack' });
    const { taskQueue, history } = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      expect(view.status).toBe('active');
      return { taskQueue, history: await handle.fetchHistory() };
    });
    // The charge worker on that queue ran it (the fake saw it); the workflow then booked cycle 1.
    expect(fake.charges().map((c) => c.input.connectionId)).toEqual(['paystack-sandbox']);
    const queues = scheduledQueues(history);
    expect(queues).toContainEqual(['chargeCard', chargeTaskQueue(taskQueue, 'paystack-sandbox')]);
    expect(queues).toContainEqual(['initializeAuthorization', taskQueue]);
    expect(queues).toContainEqual(['refundCharge', taskQueue]);
    expect(queues.filter(([type]) => type !== 'chargeCard').every(([, queue]) => queue === taskQueue)).toBe(true);
  });

  it('polls one charge queue per connection, at its rate, serving only chargeCard', async () => {
    const taskQueue = uniqueTaskQueue('rates');
    const workers = await SubscriptionWorkers.create(
      { connection: h.env.nativeConnection, taskQueue, workflowBundle: h.bundle, activities: new FakeActivities().activities() },
      [{ connectionId: 'paystack-live', perSecond: 20 }, { connectionId: 'razorpay-live', perSecond: 2.5 }],
    );
    await workers.runUntil(Promise.resolve());
    expect(workers.main.options.taskQueue).toBe(taskQueue);
    expect(workers.main.options.maxTaskQueueActivitiesPerSecond).toBeUndefined();
    expect(workers.charges.map((w) => [w.options.taskQueue, w.options.maxTaskQueueActivitiesPerSecond])).toEqual([
      // The server's bucket starts with one second of tokens: 97.5% of the limit keeps any 60 s within limit x 60.
      [chargeTaskQueue(taskQueue, 'paystack-live'), 19.5],
      [chargeTaskQueue(taskQueue, 'razorpay-live'), 2.4375],
    ]);
    expect(workers.charges.map((w) => [...w.options.activities.keys()])).toEqual([['chargeCard'], ['chargeCard']]);
  });
});
