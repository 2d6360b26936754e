import { ApplicationFailure } from '@temporalio/common';
import type { GatewayEvent } from '../../src/shared/gateway-events';
import { GatewayErrors } from '../../src/shared/gateway-port';
import { authorizationReference, chargeReference, refundReference, subscriptionWorkflowId } from '../../src/shared/ids';
import { cancelUpdate, changePlanUpdate, gatewayEventSignal, refundUpdate, stateQuery } from '../../src/shared/messages';
import type { Plan } from '../../src/shared/schemas';
import { declined, FakeActivities, succeeded } from './support/fake-activities';
import { DAY, HOUR, MINUTE, authorizationPaid, nextJan31, start, startActive, subscriptionInput, useServerPerTest, withWorker } from './support/harness';

// One named test per defect of issue 9 (docs/subscription-workflow.md): each failed on 0.2.0 and passes on 0.3.0.
/**
 * A time-skipping server per test, one bundle for the file. Some scenarios end with work in flight on purpose (an
 * activity scheduled for a worker that has stopped), and the Java test server then holds its clock for the file's
 * later tests; a fresh server per test keeps each one honest.
 */
const h = useServerPerTest();
const newInput = subscriptionInput;

const daily = (currency: 'NGN' | 'INR'): Plan => ({ id: 'daily', amount: 150000, currency, interval: 'day', intervalCount: 1, trialDays: 0, totalCycles: null });
const monthly = (currency: 'NGN' | 'INR'): Plan => ({ id: 'gold', amount: 500000, currency, interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null });
const unknownOutcome = (): never => {
  throw ApplicationFailure.nonRetryable('connection reset after the request was sent', 'GatewayTimeout');
};
const paidEvent = (gateway: GatewayEvent['gateway'], reference: string, amount: number, currency: 'NGN' | 'INR', eventId: string): GatewayEvent => ({
  type: 'charge.succeeded',
  eventId,
  gateway,
  reference,
  gatewayTransactionId: `tx-${reference}`,
  amount: { amount, currency },
  paidAt: '',
  needsVerification: false,
});
/** Resolves to 'returned' or, when `p` does not settle within `ms` of skipped workflow time, to 'stuck'. */
async function within<T>(ms: number, p: Promise<T>): Promise<T | 'stuck'> {
  const deadline = h.env.sleep(ms).then(() => 'stuck' as const);
  const first = await Promise.race([p, deadline]);
  await deadline; // never leave a call to the server running past the test
  return first;
}

describe('issue 9: the subscription workflow under adversity', () => {
  it('#1 a down merchant endpoint at continue-as-new delays neither the retry nor a cancel', async () => {
    // Three cycles per run: cycle 3's first attempt is declined and the run is then due to continue as new. The
    // endpoint has been down since before cycle 2, so cycle 2's invoice.paid is still in delivery (retrying) then.
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'flutterwave', plan: daily('NGN'), cyclesPerRun: 3 });
    let down = false;
    fake.onNotify = () => {
      if (down) throw new Error('merchant endpoint down');
    };
    const c3a1 = chargeReference(input.subscriptionId, 3, 1);
    fake.charge = (c) => (c.reference === c3a1 ? declined(c) : succeeded(c));
    await withWorker(h, fake, async (taskQueue) => {
      const { view } = await startActive(h, fake, taskQueue, input);
      const cycle2At = Date.parse(view.nextChargeAt!);
      await h.env.sleep(cycle2At - HOUR - (await h.env.currentTimeMs()));
      down = true;
      await h.env.sleep(cycle2At + DAY + 6 * HOUR - (await h.env.currentTimeMs()));
      down = false;
      const latest = h.env.client.workflow.getHandle(subscriptionWorkflowId(input.subscriptionId));
      expect(await within(DAY, latest.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] }))).toMatchObject({ status: 'canceled' });
    });
    const [first, retry] = fake.charges().filter((c) => c.input.reference.includes('-c3-'));
    expect(retry).toBeDefined();
    expect(retry!.scheduledAt - first!.scheduledAt).toBeLessThan(30 * MINUTE + MINUTE);
  });

  it('#2 a success for an attempt recorded as declined pays its cycle: no second charge', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    fake.charge = (c) => (c.reference === c2a1 ? unknownOutcome() : succeeded(c));
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await h.env.sleep(Date.parse(view.nextChargeAt!) - (await h.env.currentTimeMs()) + 5 * MINUTE);
      await fake.waitForEvent('invoice.payment_failed');
      // The gateway did take the money; its signed webhook comes after the reference was verified not found.
      await handle.signal(gatewayEventSignal, paidEvent('flutterwave', c2a1, 500000, 'NGN', 'late-success'));
      await fake.waitForEvent('invoice.paid', 2);
      await h.env.sleep(2 * HOUR);
      return handle.query(stateQuery);
    });
    expect(fake.charges().filter((c) => c.input.reference !== c2a1)).toHaveLength(0);
    expect(view).toMatchObject({ status: 'active', cycle: 2, attempts: { nextRetryAt: null }, lastPayment: { reference: c2a1 } });
  });

  it('#2 a success after the cycle was paid by a later attempt is refunded, and the merchant told', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    fake.charge = (c) => (c.reference === c2a1 ? declined(c) : succeeded(c));
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await h.env.sleep(Date.parse(view.nextChargeAt!) - (await h.env.currentTimeMs()) + 40 * MINUTE);
      await fake.waitForEvent('invoice.paid', 2);
      await handle.signal(gatewayEventSignal, paidEvent('flutterwave', c2a1, 500000, 'NGN', 'late-after-paid'));
      await fake.waitForEvent('payment.refunding');
      // The refund is its own activity, which may start after the merchant event: wait for it, then let two hours
      // run on, so a second refund of the same charge would show below.
      await fake.waitForCall('refundCharge');
      await h.env.sleep(2 * HOUR);
    });
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(c2a1)]);
  });

  it('#2 a charge verified not found whose late success sends no webhook is found by verifying again, and refunded once', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    fake.charge = (c) => (c.reference === c2a1 ? unknownOutcome() : succeeded(c));
    let appearsAt = Infinity;
    // The gateway processes the timed-out request 5 hours late and its webhook is lost: only a verify can tell.
    fake.verify = async (v) => {
      if (v.reference !== c2a1) return { status: 'not_found', reference: v.reference };
      return (await h.env.currentTimeMs()) >= appearsAt
        ? { status: 'succeeded', reference: c2a1, gatewayTransactionId: 'tx-late', amount: { amount: 500000, currency: 'NGN' }, paidAt: '' }
        : { status: 'not_found', reference: c2a1 };
    };
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      appearsAt = Date.parse(view.nextChargeAt!) + 5 * HOUR;
      await h.env.sleep(Date.parse(view.nextChargeAt!) - (await h.env.currentTimeMs()) + 40 * MINUTE);
      await fake.waitForEvent('invoice.paid', 2);
      await h.env.sleep(DAY);
      return handle.query(stateQuery);
    });
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(c2a1)]);
    expect(fake.eventTypes()).toContain('payment.refunding');
    expect(view.refunds).toEqual([expect.objectContaining({ chargeReference: c2a1 })]);
  });

  it('#2 Paystack: charge.failed then charge.succeeded for a pending charge ends active, not unpaid', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'paystack', plan: monthly('NGN') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    fake.charge = (c) => (c.reference === c2a1 ? { status: 'pending', reference: c.reference } : succeeded(c));
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await h.env.sleep(Date.parse(view.nextChargeAt!) - (await h.env.currentTimeMs()) + 5 * MINUTE);
      await handle.signal(gatewayEventSignal, { type: 'charge.failed', eventId: 'ps-failed', gateway: 'paystack', reference: c2a1, reason: 'abandoned', needsVerification: false });
      await fake.waitForEvent('subscription.unpaid');
      await handle.signal(gatewayEventSignal, paidEvent('paystack', c2a1, 500000, 'NGN', 'ps-success'));
      await fake.waitForEvent('invoice.paid', 2);
      return handle.query(stateQuery);
    });
    expect(view).toMatchObject({ status: 'active', cycle: 2, lastPayment: { reference: c2a1 } });
  });

  it('#3 a cancel during the authorization refund applies at once and cycle 1 is never charged', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'paystack', plan: monthly('NGN') });
    let release!: () => void;
    let refunding!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const refundStarted = new Promise<void>((r) => (refunding = r));
    fake.refund = async (r) => {
      refunding();
      await gate;
      return { status: 'processed', reference: r.reference, gatewayRefundId: 'rf', amount: r.amount };
    };
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 5000, currency: 'NGN' }));
      await refundStarted;
      const canceled = await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      release();
      return canceled;
    });
    expect(view.status).toBe('canceled');
    expect(fake.charges()).toHaveLength(0);
  });

  it('#4 a checkout paid after the subscription expired is recorded and refunded, and the merchant told', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'paystack', plan: monthly('NGN') });
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      await h.env.sleep(input.authorizationWindowMs + HOUR);
      await fake.waitForEvent('subscription.incomplete_expired');
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 5000, currency: 'NGN' }, { eventId: 'paid-late' }));
      await fake.waitForEvent('payment.refunding');
      return handle.query(stateQuery);
    });
    const auth = authorizationReference(input.subscriptionId);
    expect(view.status).toBe('incomplete_expired');
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(auth)]);
    expect(view.charges).toContainEqual(expect.objectContaining({ reference: auth, outcome: 'succeeded' }));
  });

  it('#4 a checkout paid after a cancel, its webhook lost, is found by verifying the checkout and refunded', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const auth = authorizationReference(input.subscriptionId);
    let paidAt = Infinity;
    fake.verify = async (v) =>
      v.reference === auth && (await h.env.currentTimeMs()) >= paidAt
        ? { status: 'succeeded', reference: auth, gatewayTransactionId: 'tx-checkout', amount: { amount: 500000, currency: 'NGN' }, paidAt: '' }
        : { status: 'not_found', reference: v.reference };
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      expect(await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] })).toMatchObject({ status: 'canceled' });
      // The customer still pays the open checkout 3 hours later; the gateway's webhook never arrives.
      paidAt = (await h.env.currentTimeMs()) + 3 * HOUR;
      await h.env.sleep(DAY);
      return handle.query(stateQuery);
    });
    expect(view.status).toBe('canceled');
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(auth)]);
    expect(fake.eventTypes()).toContain('payment.refunding');
  });

  it('#5 an authorization refund whose outcome is unknown is sent again under the same reference', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'paystack', plan: monthly('NGN') });
    fake.refund = (r) => (fake.callsOf('refundCharge').length === 1 ? unknownOutcome() : { status: 'processed', reference: r.reference, gatewayRefundId: 'rf', amount: r.amount });
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      await h.env.sleep(3 * HOUR);
      return handle.query(stateQuery);
    });
    const ref = refundReference(authorizationReference(input.subscriptionId));
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([ref, ref]);
    expect(view.refunds).toEqual([expect.objectContaining({ reference: ref, status: 'processed' })]);
    expect(view.authorization.refunded).toBe(true);
  });

  it('#5 an authorization refund the gateway does not answer for a day is announced as delayed, once, and still retried', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'paystack', plan: monthly('NGN') });
    fake.refund = () => {
      throw new Error('gateway answered 503');
    };
    await withWorker(h, fake, async (taskQueue) => {
      await startActive(h, fake, taskQueue, input);
      await h.env.sleep(3 * DAY);
    });
    const auth = authorizationReference(input.subscriptionId);
    const delayed = fake.events().filter((e) => e.type === 'refund.delayed');
    expect(delayed).toEqual([expect.objectContaining({ data: expect.objectContaining({ reference: refundReference(auth), chargeReference: auth, attempt: 5 }) })]);
    // Still sent again after the announcement, under the same reference.
    const sends = fake.callsOf('refundCharge');
    expect(new Set(sends.map((c) => c.input.reference))).toEqual(new Set([refundReference(auth)]));
    expect(sends.filter((c) => c.attempt === 1).length).toBeGreaterThan(5);
  });

  it('#5 a refund.processed webhook settles a refund whose request failed, and no second refund is sent', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'paystack', plan: monthly('NGN') });
    fake.refund = () => unknownOutcome();
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const auth = authorizationReference(input.subscriptionId);
      await handle.signal(gatewayEventSignal, { type: 'refund.processed', eventId: 'rf-ok', gateway: 'paystack', reference: '', chargeReference: auth, amount: { amount: 5000, currency: 'NGN' } });
      await h.env.sleep(3 * HOUR);
      return handle.query(stateQuery);
    });
    expect(fake.callsOf('refundCharge')).toHaveLength(1);
    expect(view.refunds).toEqual([expect.objectContaining({ status: 'processed' })]);
  });

  it('#5 a refund the gateway refuses is announced to the merchant (refund.failed)', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'paystack', plan: monthly('NGN') });
    fake.refund = () => {
      throw ApplicationFailure.nonRetryable('refunds are disabled on this connection', GatewayErrors.RefundsDisabled);
    };
    await withWorker(h, fake, async (taskQueue) => {
      await startActive(h, fake, taskQueue, input);
      await fake.waitForEvent('refund.failed');
    });
    expect(fake.events().find((e) => e.type === 'refund.failed')?.data).toMatchObject({ chargeReference: authorizationReference(input.subscriptionId) });
  });

  it('#7 retry spacing counts from the attempt, not from a late decline webhook', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const c2a1 = chargeReference(input.subscriptionId, 2, 1);
    fake.charge = (c) => (c.reference === c2a1 ? { status: 'pending', reference: c.reference } : succeeded(c));
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await h.env.sleep(Date.parse(view.nextChargeAt!) - (await h.env.currentTimeMs()) + 20 * MINUTE);
      await handle.signal(gatewayEventSignal, { type: 'charge.failed', eventId: 'late-decline', gateway: 'flutterwave', reference: c2a1, reason: 'insufficient funds', needsVerification: false });
      await h.env.sleep(HOUR);
      await fake.waitForEvent('invoice.paid', 2);
    });
    const [first, retry] = fake.charges().filter((c) => c.input.reference.includes('-c2-'));
    expect(retry!.scheduledAt - first!.scheduledAt).toBeLessThan(30 * MINUTE + MINUTE);
    // Spaced from the attempt's start; each activity is scheduled a few milliseconds after its attempt starts.
    expect(retry!.scheduledAt - first!.scheduledAt).toBeGreaterThanOrEqual(30 * MINUTE - 1_000);
  });

  it('#8 a plan change that alters the interval keeps month-end anchoring (Jan 31 monthly → quarterly)', async () => {
    const fake = new FakeActivities();
    const anchor = nextJan31(await h.env.currentTimeMs(), { marginMs: 2 * DAY });
    const input = newInput({ gateway: 'flutterwave', plan: { ...monthly('NGN'), trialDays: 1 }, billingAnchor: new Date(anchor).toISOString() });
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 10000, currency: 'NGN' }));
      await fake.waitForEvent('subscription.trial_started');
      await h.env.sleep(anchor - (await h.env.currentTimeMs()) + HOUR);
      await fake.waitForEvent('invoice.paid');
      await handle.executeUpdate(changePlanUpdate, { args: [{ ...monthly('NGN'), id: 'quarterly', intervalCount: 3 }] });
      const feb28 = Date.parse((await handle.query(stateQuery)).nextChargeAt!);
      await h.env.sleep(feb28 - (await h.env.currentTimeMs()) + HOUR);
      await fake.waitForEvent('invoice.paid', 2);
      return handle.query(stateQuery);
    });
    const may = new Date(view.nextChargeAt!);
    expect([may.getUTCMonth(), may.getUTCDate()]).toEqual([4, 31]);
  });

  it('#9 a refund retried with the same update id after continue-as-new refunds once', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'flutterwave', plan: daily('NGN'), cyclesPerRun: 1 });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const args = [{ chargeReference: authorizationReference(input.subscriptionId), amount: 1000 }] as const;
      await handle.executeUpdate(refundUpdate, { args: [...args], updateId: 'idem-1' });
      await h.env.sleep(2 * DAY);
      const latest = h.env.client.workflow.getHandle(subscriptionWorkflowId(input.subscriptionId));
      expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId);
      await latest.executeUpdate(refundUpdate, { args: [...args], updateId: 'idem-1' });
    });
    expect(fake.callsOf('refundCharge')).toHaveLength(1);
  });

  it('#9 a charge whose verify keeps failing does not block a cancel', async () => {
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'razorpay', plan: monthly('INR') });
    fake.charge = (c) => (c.reference.includes('-c2-') ? unknownOutcome() : succeeded(c));
    fake.verify = () => {
      throw ApplicationFailure.nonRetryable('gateway down', 'GatewayUnavailable');
    };
    const result = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await h.env.sleep(Date.parse(view.nextChargeAt!) - (await h.env.currentTimeMs()) + 2 * DAY);
      return within(DAY, handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] }));
    });
    expect(result).toMatchObject({ status: 'canceled' });
  });

  it('#9 a pending plan change with more cycles applies before the subscription decides it is finished', async () => {
    // The change is made during the last cycle of the current plan: only then can "finished" be decided on the old
    // plan at the boundary where the new one was due to start.
    const fake = new FakeActivities();
    const input = newInput({ gateway: 'flutterwave', plan: { ...daily('NGN'), totalCycles: 2 } });
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view: active } = await startActive(h, fake, taskQueue, input);
      await h.env.sleep(Date.parse(active.nextChargeAt!) + HOUR - (await h.env.currentTimeMs()));
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'active', cycle: 2 });
      await handle.executeUpdate(changePlanUpdate, { args: [{ ...daily('NGN'), id: 'longer', amount: 160000, totalCycles: 5 }] });
      await h.env.sleep(DAY);
      return handle.query(stateQuery);
    });
    expect(view).toMatchObject({ status: 'active', cycle: 3, plan: { id: 'longer' } });
    expect(fake.charges().map((c) => c.input.reference)).toContain(chargeReference(input.subscriptionId, 3, 1));
  });
});
