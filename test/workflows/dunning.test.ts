import { ApplicationFailure } from '@temporalio/common';
import { periodStart } from '../../src/shared/calendar';
import { chargeReference } from '../../src/shared/ids';
import { cancelUpdate, gatewayEventSignal, pauseUpdate, retryNowUpdate, stateQuery } from '../../src/shared/messages';
import { FakeActivities, monthly, renewalsDecline, succeeded } from './support/fake-activities';
import { DAY, expectRefused, HOUR, iso, MINUTE, recordHistory, skipTo, startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

const h = useHarness();

function attemptTimes(fake: FakeActivities): number[] {
  return fake.charges().map((c) => c.scheduledAt);
}

/**
 * `actual` (an activity's schedule time) at `expected` or up to a minute after. Retries are spaced from the attempt's
 * start, which is the workflow task's time, while a schedule time is stamped by the server when the task completes:
 * the previous attempt's schedule time can trail its start by milliseconds, so a second of slack before is allowed.
 */
function expectNear(actual: number, expected: number): void {
  expect(actual).toBeGreaterThanOrEqual(expected - 1_000);
  expect(actual - expected).toBeLessThan(MINUTE);
}

describe('dunning per gateway policy', () => {
  it('Paystack: a declined renewal goes straight to unpaid with no automatic retry; retry-now recovers it', async () => {
    const fake = new FakeActivities();
    renewalsDecline(fake);
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      const renewal = Date.parse(view.nextChargeAt!);
      await skipTo(h, renewal + 10 * DAY);
      const unpaid = await handle.query(stateQuery);
      expect(unpaid).toMatchObject({ status: 'unpaid', attempts: { made: 1, automaticRemaining: 0, nextRetryAt: null }, nextChargeAt: null });
      expect(fake.charges().map((c) => c.input.reference)).toEqual([chargeReference(input.subscriptionId, 1, 1), chargeReference(input.subscriptionId, 2, 1)]);
      // Months pass: no retry, and no later cycle is charged while unpaid.
      await h.env.sleep(70 * DAY);
      expect(fake.charges()).toHaveLength(2);
      fake.charge = succeeded;
      const recovered = await handle.executeUpdate(retryNowUpdate);
      const now = await h.env.currentTimeMs();
      expect(recovered).toMatchObject({ status: 'active', cycle: 2 });
      expect(fake.charges().at(-1)!.input.reference).toBe(chargeReference(input.subscriptionId, 2, 2));
      // The next charge is back on the anchor calendar, after now.
      const anchor = Date.parse(recovered.billingAnchor!);
      const next = Date.parse(recovered.nextChargeAt!);
      expect(next).toBeGreaterThan(now);
      expect(next - now).toBeLessThanOrEqual(31 * DAY);
      expect([1, 2, 3, 4, 5].map((n) => periodStart(anchor, { interval: 'month', intervalCount: 1 }, n))).toContain(next);
      await expectRefused(handle.executeUpdate(retryNowUpdate), /only while unpaid/);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'paystack-unpaid-retry-now', handle);
    });
    expect(fake.eventTypes()).toEqual([
      'subscription.activated',
      'invoice.paid',
      'invoice.payment_failed',
      'subscription.unpaid',
      'subscription.activated',
      'invoice.paid',
      'subscription.canceled',
    ]);
  });

  it('Flutterwave: exactly 3 retries 30 minutes apart, then unpaid', async () => {
    const fake = new FakeActivities();
    renewalsDecline(fake);
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    let renewal = 0;
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view: active } = await startActive(h, fake, taskQueue, input);
      renewal = Date.parse(active.nextChargeAt!);
      await skipTo(h, renewal + 5 * HOUR);
      const pastDue = await handle.query(stateQuery);
      await h.env.sleep(40 * DAY);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'flutterwave-retries-exhausted', handle);
      return pastDue;
    });
    const times = attemptTimes(fake);
    expect(fake.charges().map((c) => c.input.reference)).toEqual([1, 2, 3, 4].map((a) => chargeReference(input.subscriptionId, 2, a)));
    [0, 30, 60, 90].forEach((m, i) => expectNear(times[i]!, renewal + m * MINUTE));
    expect(view).toMatchObject({ status: 'unpaid', attempts: { made: 4, automaticRemaining: 0 } });
    const types = fake.eventTypes();
    expect(types.filter((t) => t === 'invoice.payment_failed')).toHaveLength(4);
    expect(types.indexOf('subscription.past_due')).toBeLessThan(types.indexOf('subscription.unpaid'));
  });

  it('Flutterwave: success on the 2nd retry returns to active with the next charge on the anchor', async () => {
    const fake = new FakeActivities();
    renewalsDecline(fake, 3);
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const { active, recovered } = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view: active } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(active.nextChargeAt!) + 2 * HOUR);
      const recovered = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'flutterwave-recovered-on-second-retry', handle);
      return { active, recovered };
    });
    const anchor = Date.parse(active.billingAnchor!);
    const renewal = Date.parse(active.nextChargeAt!);
    expect(fake.charges()).toHaveLength(3);
    expectNear(attemptTimes(fake)[2]!, renewal + 60 * MINUTE);
    expect(recovered).toMatchObject({ status: 'active', cycle: 2, attempts: { made: 3, nextRetryAt: null } });
    // From the anchor, not from the payment an hour late.
    expect(recovered.nextChargeAt).toBe(iso(periodStart(anchor, { interval: 'month', intervalCount: 1 }, 2)));
    expect(recovered.currentPeriodStart).toBe(iso(renewal));
    expect(fake.eventTypes()).toEqual([
      'subscription.activated',
      'invoice.paid',
      'invoice.payment_failed',
      'subscription.past_due',
      'invoice.payment_failed',
      'subscription.activated',
      'invoice.paid',
      'subscription.canceled',
    ]);
  });

  it('Razorpay: 3 retries one day apart, then unpaid', async () => {
    const fake = new FakeActivities();
    renewalsDecline(fake);
    const input = subscriptionInput({ gateway: 'razorpay', plan: monthly('INR') });
    let renewal = 0;
    const final = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      renewal = Date.parse(view.nextChargeAt!);
      await skipTo(h, renewal + 4 * DAY);
      const unpaid = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      return unpaid;
    });
    expect(fake.charges()).toHaveLength(4);
    [0, 1, 2, 3].forEach((d, i) => expectNear(attemptTimes(fake)[i]!, renewal + d * DAY));
    expect(final.status).toBe('unpaid');
  });

  it('Razorpay: retry-now after the first failure runs the next attempt at once; total attempts stay 4', async () => {
    const fake = new FakeActivities();
    renewalsDecline(fake);
    const input = subscriptionInput({ gateway: 'razorpay', plan: monthly('INR') });
    let renewal = 0;
    let retriedAt = 0;
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      renewal = Date.parse(view.nextChargeAt!);
      await skipTo(h, renewal + 2 * HOUR);
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'past_due', attempts: { made: 1, automaticRemaining: 3 } });
      retriedAt = await h.env.currentTimeMs();
      const afterRetry = await handle.executeUpdate(retryNowUpdate);
      expect(afterRetry).toMatchObject({ status: 'past_due', attempts: { made: 2, automaticRemaining: 2 } });
      expect(Date.parse(afterRetry.attempts.nextRetryAt!) - retriedAt).toBeGreaterThanOrEqual(DAY);
      expect(Date.parse(afterRetry.attempts.nextRetryAt!) - retriedAt).toBeLessThan(DAY + MINUTE);
      await h.env.sleep(5 * DAY);
      const unpaid = await handle.query(stateQuery);
      expect(unpaid).toMatchObject({ status: 'unpaid', attempts: { made: 4, automaticRemaining: 0 } });
      // Retry-now while unpaid is the merchant's recovery since 0.5.0 (merchant-expectations.test.ts), not an early attempt.
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'razorpay-retry-now', handle);
    });
    const times = attemptTimes(fake);
    expect(fake.charges().map((c) => c.input.reference)).toEqual([1, 2, 3, 4].map((a) => chargeReference(input.subscriptionId, 2, a)));
    expectNear(times[0]!, renewal);
    expectNear(times[1]!, retriedAt);
    expectNear(times[2]!, times[1]! + DAY);
    expectNear(times[3]!, times[2]! + DAY);
    expect(fake.charges().map((c) => c.attempt)).toEqual([1, 1, 1, 1]);
  });

  it('refuses retry-now where the policy has none (Flutterwave) and while active', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      await expectRefused(handle.executeUpdate(retryNowUpdate), /Flutterwave/);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      // Always let the workflow finish: an abandoned one holds the server's time-skipping lock.
      await handle.result();
    });
    expect(fake.charges()).toHaveLength(0);
  });

  it('an ambiguous charge (activity failed) is verified before anything else and never charged twice', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    let calls = 0;
    fake.charge = (c) => {
      calls += 1;
      if (calls === 1) return succeeded(c);
      // The gateway took the money but the answer never came back.
      throw ApplicationFailure.nonRetryable('socket hang up', 'GatewayTimeout');
    };
    fake.verify = (v) => ({ status: 'succeeded', reference: v.reference, gatewayTransactionId: 'tx-verified', amount: { amount: 150000, currency: 'NGN' }, paidAt: '' });
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + HOUR);
      const after = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'paystack-ambiguous-charge-verified', handle);
      return after;
    });
    const renewalRef = chargeReference(input.subscriptionId, 2, 1);
    expect(fake.charges().map((c) => c.input.reference)).toEqual([chargeReference(input.subscriptionId, 1, 1), renewalRef]);
    expect(fake.callsOf('verifyCharge').map((c) => c.input.reference)).toEqual([renewalRef]);
    expect(view).toMatchObject({ status: 'active', cycle: 2 });
    expect(view.lastPayment).toMatchObject({ reference: renewalRef, gatewayTransactionId: 'tx-verified' });
  });

  it('an ambiguous charge the gateway never saw is re-sent under the same reference, not a new attempt', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    let failedOnce = false;
    fake.charge = (c) => {
      if (!failedOnce) {
        failedOnce = true;
        throw ApplicationFailure.nonRetryable('connection reset before the request was sent', 'GatewayTimeout');
      }
      return succeeded(c);
    };
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + HOUR);
      const after = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      return after;
    });
    const ref = chargeReference(input.subscriptionId, 2, 1);
    expect(fake.charges().map((c) => c.input.reference)).toEqual([ref, ref]);
    expect(fake.callsOf('verifyCharge').map((c) => c.input.reference)).toEqual([ref]);
    expect(view).toMatchObject({ status: 'active', cycle: 2, attempts: { made: 1 } });
  });

  it('a pending charge waits for the webhook; pause is refused until it settles (a cancel would apply at once)', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'razorpay', plan: monthly('INR') });
    fake.charge = (c) => ({ status: 'pending', reference: c.reference });
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + 10 * MINUTE);
      const ref = chargeReference(input.subscriptionId, 2, 1);
      expect((await handle.query(stateQuery)).charges.at(-1)).toMatchObject({ reference: ref, outcome: 'pending' });
      await expectRefused(handle.executeUpdate(pauseUpdate), /awaiting confirmation/);
      const paid = { type: 'charge.succeeded' as const, eventId: 'rzp-1', gateway: 'razorpay' as const, reference: ref, gatewayTransactionId: 'pay_1', amount: { amount: 150000, currency: 'INR' as const }, paidAt: '', needsVerification: false };
      await handle.signal(gatewayEventSignal, paid);
      await fake.waitForEvent('invoice.paid', 2);
      await handle.signal(gatewayEventSignal, { type: 'charge.failed', eventId: 'rzp-2', gateway: 'razorpay', reference: ref, reason: 'late and out of order', needsVerification: false });
      const after = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'razorpay-pending-then-webhook', handle);
      return after;
    });
    expect(fake.charges()).toHaveLength(1);
    expect(view).toMatchObject({ status: 'active', cycle: 2, lastPayment: { gatewayTransactionId: 'pay_1', outcome: 'succeeded' } });
    expect(fake.eventTypes().filter((t) => t === 'invoice.payment_failed')).toEqual([]);
  });
});
