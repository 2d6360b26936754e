import { Context } from '@temporalio/activity';
import type { GatewayEvent } from '../../src/shared/gateway-events';
import { gatewayPolicy } from '../../src/shared/gateway-policy';
import type { ChargeOutcome } from '../../src/shared/gateway-port';
import { chargeReference, refundReference } from '../../src/shared/ids';
import { gatewayEventSignal, retryNowUpdate, stateQuery } from '../../src/shared/messages';
import type { Plan } from '../../src/shared/schemas';
import { FakeActivities, succeeded } from './support/fake-activities';
import { DAY, HOUR, skipTo, startActive, subscriptionInput, useServerPerTest, withWorker } from './support/harness';

// Issue 10: a charge the gateway keeps answering `pending` (a Flutterwave tokenized charge waiting on a 3-D Secure
// redirect nobody will open, a Paystack charge left `abandoned`/`ongoing`, a Razorpay payment still `created`) is
// verified on a bounded schedule; past its gateway's window it is escalated (`charge.pending_expired`), recorded as
// unknown (never a decline) and dunning moves on, and a success that comes later is still booked or refunded.
// A fresh time-skipping server per test (as in adversity.test.ts): a test that ends with a refund or a retry in flight
// would otherwise hold the shared server's clock for the next one.
const h = useServerPerTest();

const monthly = (currency: 'NGN' | 'INR'): Plan => ({ id: 'gold', amount: 500000, currency, interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null });
const pending = (reference: string): ChargeOutcome => ({ status: 'pending', reference });
const paidEvent = (gateway: GatewayEvent['gateway'], reference: string, currency: 'NGN' | 'INR', eventId: string): GatewayEvent => ({
  type: 'charge.succeeded',
  eventId,
  gateway,
  reference,
  gatewayTransactionId: `tx-${reference}`,
  amount: { amount: 500000, currency },
  paidAt: '',
  needsVerification: false,
});

describe('issue 10: pending charges are bounded', () => {
  it('Flutterwave: a renewal pending on a 3-D Secure redirect expires after the window, is retried, and its late success is refunded', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    fake.charge = (c) => (c.reference === c2a1 ? pending(c.reference) : succeeded(c));
    const windowMs = gatewayPolicy('flutterwave').pendingWindowMs;
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      const renewalAt = Date.parse(view.nextChargeAt!);
      await skipTo(h, renewalAt + windowMs + 2 * HOUR);
      const after = await handle.query(stateQuery);
      const c2 = after.charges.filter((c) => c.cycle === 2).map((c) => [c.reference, c.outcome]);
      expect(c2).toEqual([
        [c2a1, 'unknown'],
        [chargeReference(input.subscriptionId, 2, 2), 'succeeded'],
      ]);
      expect(after).toMatchObject({ status: 'active', cycle: 2 });
      const expired = await fake.waitForEvent('charge.pending_expired');
      expect(expired.data).toMatchObject({ cycle: 2, attempt: 1, reference: c2a1, amount: { amount: 500000, currency: 'NGN' } });
      // Verified as pending on a bounded schedule that ends at the window. After it, the escalated charge is verified
      // only as an unsettled one: once before the cycle is charged again, then from an hour on (unsettled.ts).
      const verifies = fake.callsOf('verifyCharge').filter((c) => c.input.reference === c2a1);
      const started = fake.charges().find((c) => c.input.reference === c2a1)!.scheduledAt;
      const asPending = verifies.filter((v) => v.scheduledAt - started <= windowMs + 1_000);
      expect(asPending.length).toBeGreaterThan(0);
      expect(asPending.length).toBeLessThanOrEqual(8);
      const retryStarted = fake.charges().find((c) => c.input.reference === chargeReference(input.subscriptionId, 2, 2))!.scheduledAt;
      const afterRetry = verifies.filter((v) => v.scheduledAt > retryStarted);
      for (const v of afterRetry) expect(v.scheduledAt - started).toBeGreaterThanOrEqual(windowMs + HOUR - 1_000);

      // The customer completes the 3-D Secure step after all: the cycle is already paid, so it is refunded.
      await handle.signal(gatewayEventSignal, paidEvent('flutterwave', c2a1, 'NGN', 'late-3ds'));
      await fake.waitForEvent('payment.refunding');
      await fake.waitForEvent('refund.processed');
    });
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(c2a1)]);
  });

  it('Paystack: a charge left abandoned expires to unpaid with its reason; a later success still pays the cycle', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    fake.charge = (c) => (c.reference === c2a1 ? pending(c.reference) : succeeded(c));
    const windowMs = gatewayPolicy('paystack').pendingWindowMs;
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + windowMs + 2 * HOUR);
      const expired = await handle.query(stateQuery);
      expect(expired).toMatchObject({ status: 'unpaid', cycle: 2 });
      const record = expired.charges.find((c) => c.reference === c2a1);
      expect(record).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/still pending/) });
      expect((await fake.waitForEvent('subscription.unpaid')).data.reason).toMatch(/still pending/);
      await handle.signal(gatewayEventSignal, paidEvent('paystack', c2a1, 'NGN', 'late-abandoned'));
      await fake.waitForEvent('invoice.paid', 2);
      return handle.query(stateQuery);
    });
    expect(fake.charges().filter((c) => c.input.reference.includes('-c2-'))).toHaveLength(1);
    expect(fake.callsOf('refundCharge').filter((c) => c.input.chargeReference === c2a1)).toEqual([]);
    expect(view).toMatchObject({ status: 'active', cycle: 2, lastPayment: { reference: c2a1, outcome: 'succeeded' } });
  });

  it('Paystack: before a retry-now charges the cycle again, the expired charge is verified; its success (webhook lost) pays the cycle', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    fake.charge = (c) => (c.reference === c2a1 ? pending(c.reference) : succeeded(c));
    let completed = false;
    fake.verify = (v) =>
      completed && v.reference === c2a1
        ? { status: 'succeeded', reference: v.reference, gatewayTransactionId: 'tx-late', amount: { amount: 500000, currency: 'NGN' }, paidAt: '' }
        : pending(v.reference);
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + gatewayPolicy('paystack').pendingWindowMs + 2 * HOUR);
      expect((await handle.query(stateQuery)).status).toBe('unpaid');
      // The customer completed the charge; Paystack's webhook never arrived. The merchant retries minutes later,
      // before the settlement horizon's next check would have found it.
      completed = true;
      await skipTo(h, (await h.env.currentTimeMs()) + 10 * 60_000);
      return handle.executeUpdate(retryNowUpdate);
    });
    expect(fake.charges().filter((c) => c.input.reference.includes('-c2-')).map((c) => c.input.reference)).toEqual([c2a1]);
    expect(fake.callsOf('refundCharge').filter((c) => c.input.chargeReference === c2a1)).toEqual([]);
    expect(view).toMatchObject({ status: 'active', cycle: 2, lastPayment: { reference: c2a1, outcome: 'succeeded', gatewayTransactionId: 'tx-late' } });
  });

  it('Razorpay: a recurring payment authorized 70 h after the request (pre-debit) is paid once, never escalated', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'razorpay', plan: monthly('INR') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    let sentAt = 0;
    fake.charge = (c) => {
      if (c.reference !== c2a1) return succeeded(c);
      sentAt = Context.current().info.currentAttemptScheduledTimestampMs;
      return pending(c.reference);
    };
    // Razorpay authorizes a pre-debit payment 36-72 h after the request: verify answers with server time.
    fake.verify = (v) => {
      const at = Context.current().info.currentAttemptScheduledTimestampMs;
      if (v.reference !== c2a1 || at - sentAt < 70 * HOUR) return pending(v.reference);
      return { status: 'succeeded', reference: v.reference, gatewayTransactionId: 'pay_predebit', amount: { amount: 500000, currency: 'INR' }, paidAt: new Date(at).toISOString() };
    };
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + gatewayPolicy('razorpay').pendingWindowMs + DAY);
      await fake.waitForEvent('invoice.paid', 2);
      return handle.query(stateQuery);
    });
    expect(gatewayPolicy('razorpay').pendingWindowMs).toBeGreaterThanOrEqual(72 * HOUR);
    expect(fake.charges().filter((c) => c.input.reference.includes('-c2-'))).toHaveLength(1);
    expect(fake.eventTypes()).not.toContain('charge.pending_expired');
    expect(view).toMatchObject({ status: 'active', cycle: 2, lastPayment: { reference: c2a1, outcome: 'succeeded' } });
  });
});
