import { ApplicationFailure } from '@temporalio/common';
import { GatewayEventSchema } from '../../src/shared/gateway-events';
import { GATEWAY_POLICIES } from '../../src/shared/gateway-policy';
import { planRefusalReason, authorizationCharge } from '../../src/shared/plan-rules';
import type { Plan, SubscriptionInput } from '../../src/shared/schemas';
import { SUBSCRIPTION_STATUSES } from '../../src/shared/status';
import { automaticRetriesRemaining, maxAttempts, nextRetryAt } from '../../src/workflows/dunning';
import { firstSnapshot } from '../../src/workflows/initial-snapshot';
import { cancelRefusal, changePlanRefusal, pauseRefusal, planRefund, resumeRefusal, retryNowRefusal } from '../../src/workflows/refusals';
import { assertTransition, canTransition, IllegalTransitionError, isTerminal } from '../../src/workflows/state-machine';
import { SubscriptionState } from '../../src/workflows/subscription-state';
import { buildView } from '../../src/workflows/view';

const T0 = Date.parse('2027-01-31T09:00:00.000Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const plan: Plan = { id: 'gold', amount: 500000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null };

function input(overrides: Partial<SubscriptionInput> = {}): SubscriptionInput {
  return {
    subscriptionId: 'sub-1',
    customer: { id: 'cus_1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi' },
    plan,
    gateway: 'paystack',
    gatewayConnectionId: 'paystack-sandbox',
    metadata: {},
    authorizationWindowMs: 23 * 60 * MIN,
    createdAt: '2027-01-31T09:00:00.000Z',
    ...overrides,
  };
}

/** An entity already active on cycle 1, with a controllable clock. */
function activeEntity(gateway: SubscriptionInput['gateway'] = 'paystack', rules: { refundLedger?: boolean } = {}) {
  const clock = { now: T0 };
  const currency = gateway === 'razorpay' ? 'INR' : 'NGN';
  const sub = new SubscriptionState(firstSnapshot(input({ gateway, plan: { ...plan, currency } }), T0), () => clock.now, rules);
  sub.authorize({ token: 'SECRET', last4: '4081', reusable: true }, { cycle: 1, attempt: 1, reference: 'sub-1-auth1', kind: 'authorization', amount: { amount: 500000, currency }, outcome: 'succeeded', gatewayTransactionId: 'tx-auth', at: '' });
  sub.startCalendar();
  sub.activateWithFirstPayment(sub.findCharge('sub-1-auth1')!);
  return { sub, clock };
}

describe('state machine', () => {
  it('allows only the documented transitions', () => {
    expect(canTransition('incomplete', 'active')).toBe(true);
    expect(canTransition('incomplete', 'incomplete_expired')).toBe(true);
    expect(canTransition('active', 'past_due')).toBe(true);
    expect(canTransition('past_due', 'active')).toBe(true);
    expect(canTransition('past_due', 'unpaid')).toBe(true);
    expect(canTransition('unpaid', 'active')).toBe(true);
    expect(canTransition('active', 'incomplete')).toBe(false);
    expect(canTransition('paused', 'past_due')).toBe(false);
    expect(canTransition('trialing', 'paused')).toBe(false);
    expect(() => assertTransition('canceled', 'active')).toThrow(IllegalTransitionError);
    expect(SUBSCRIPTION_STATUSES.filter(isTerminal)).toEqual(['incomplete_expired', 'canceled', 'completed']);
  });
});

describe('dunning schedule from the policy table', () => {
  it('gives Paystack one attempt, Flutterwave 4 at 30 minutes, Razorpay 4 at one day', () => {
    expect(maxAttempts(GATEWAY_POLICIES.paystack)).toBe(1);
    expect(nextRetryAt(GATEWAY_POLICIES.paystack, 1, T0)).toBeNull();
    expect([1, 2, 3, 4].map((n) => nextRetryAt(GATEWAY_POLICIES.flutterwave, n, T0))).toEqual([T0 + 30 * MIN, T0 + 30 * MIN, T0 + 30 * MIN, null]);
    expect([1, 2, 3, 4].map((n) => nextRetryAt(GATEWAY_POLICIES.razorpay, n, T0))).toEqual([T0 + DAY, T0 + DAY, T0 + DAY, null]);
    expect(automaticRetriesRemaining(GATEWAY_POLICIES.razorpay, 2)).toBe(2);
  });
});

describe('plan rules', () => {
  it('refuses what a gateway cannot run, with a reason', () => {
    expect(planRefusalReason('paystack', { ...plan, intervalCount: 2 })).toMatch(/intervalCount must be 1/);
    expect(planRefusalReason('flutterwave', { ...plan, intervalCount: 2 })).toBeNull();
    expect(planRefusalReason('razorpay', plan)).toMatch(/does not settle NGN/);
    expect(planRefusalReason('paystack', { ...plan, currency: 'USD' })).toBeNull();
    expect(authorizationCharge('paystack', { ...plan, currency: 'KES' }, { KES: 700 })).toEqual({ amount: { amount: 700, currency: 'KES' }, isFirstInvoice: false });
    expect(authorizationCharge('flutterwave', plan)).toEqual({ amount: { amount: 500000, currency: 'NGN' }, isFirstInvoice: true });
    expect(authorizationCharge('flutterwave', { ...plan, trialDays: 7 })).toEqual({ amount: { amount: 10000, currency: 'NGN' }, isFirstInvoice: false });
  });

  it('fails the first snapshot non-retryably on invalid input or an unsupported plan', () => {
    const bad = (): unknown => firstSnapshot(input({ plan: { ...plan, intervalCount: 3 } }), T0);
    expect(bad).toThrow(ApplicationFailure);
    expect(() => firstSnapshot({ ...input(), subscriptionId: 'bad id!' }, T0)).toThrow(/invalid subscription input/);
    const snap = firstSnapshot(input(), T0);
    expect(snap.authorization).toMatchObject({ amount: { amount: 5000, currency: 'NGN' }, reference: 'sub-1-auth1', expiresAt: '2027-02-01T08:00:00.000Z' });
  });
});

describe('subscription entity', () => {
  it('numbers merchant events per subscription and never leaks the card token in the view', () => {
    const { sub } = activeEntity();
    expect(sub.s.outbox.map((e) => [e.sequence, e.type, e.id])).toEqual([
      [1, 'subscription.activated', 'sub-1-1'],
      [2, 'invoice.paid', 'sub-1-2'],
    ]);
    expect(JSON.stringify(buildView(sub))).not.toContain('SECRET');
    expect(buildView(sub).card).toEqual({ last4: '4081' });
  });

  it('schedules from the anchor even when paid late, and skips periods that passed', () => {
    const { sub, clock } = activeEntity();
    expect(sub.s.nextChargeAt).toBe('2027-02-28T09:00:00.000Z');
    clock.now = Date.parse('2027-04-05T00:00:00.000Z');
    sub.beginCycle();
    sub.chargeSucceeded({ cycle: 2, attempt: 1, reference: 'sub-1-c2-a1', kind: 'renewal', amount: { amount: 500000, currency: 'NGN' }, outcome: 'succeeded', gatewayTransactionId: 'tx', at: '' });
    expect(sub.s.currentPeriodStart).toBe('2027-03-31T09:00:00.000Z');
    expect(sub.s.nextChargeAt).toBe('2027-04-30T09:00:00.000Z');
  });

  it('dedupes webhooks by event id', () => {
    const { sub } = activeEntity();
    const event = { type: 'refund.failed' as const, eventId: 'e1', gateway: 'paystack' as const, reference: 'r', reason: 'x' };
    expect(sub.acceptEvent(event)).toBe(true);
    expect(sub.acceptEvent(event)).toBe(false);
    expect(sub.s.inbox).toHaveLength(1);
  });

  it('refuses operations with reasons the API can show', () => {
    const { sub } = activeEntity('razorpay');
    expect(cancelRefusal(sub, { at: 'period_end' })).toBeNull();
    expect(resumeRefusal(sub)).toMatch(/only a paused subscription/);
    expect(retryNowRefusal(sub)).toMatch(/past_due/);
    expect(changePlanRefusal(sub, { ...plan, currency: 'USD' })).toMatch(/cannot switch currency/);
    expect(pauseRefusal(sub)).toBeNull();
    sub.pause();
    expect(cancelRefusal(sub, { at: 'period_end' })).toMatch(/use at: "now"/);
    sub.openAttempt('renewal');
    sub.attemptProgress({ phase: 'await_webhook', nextCheckAt: null });
    expect(pauseRefusal(sub)).toMatch(/awaiting confirmation/);
    // Runs before 0.3.0 refused a cancel then; from 0.3.0 it applies and a later success is refunded.
    expect(cancelRefusal(sub, { at: 'now' })).toMatch(/awaiting confirmation/);
    expect(cancelRefusal(sub, { at: 'now' }, { allowWhileConfirming: true })).toBeNull();
    sub.closeAttempt();
    sub.cancelNow();
    expect(cancelRefusal(sub, { at: 'now' })).toBe('subscription sub-1 is canceled');
  });

  it('plans refunds against what is left on a charge', () => {
    const { sub } = activeEntity('flutterwave');
    expect(planRefund(sub, { chargeReference: 'sub-1-auth1', amount: 200000 })).toMatchObject({ amount: { amount: 200000 }, n: 1 });
    sub.recordRefund({ reference: 'sub-1-auth1-r1', chargeReference: 'sub-1-auth1', amount: { amount: 200000, currency: 'NGN' }, status: 'pending', at: '' });
    expect(planRefund(sub, { chargeReference: 'sub-1-auth1' })).toMatchObject({ amount: { amount: 300000 }, n: 2 });
    expect(planRefund(sub, { chargeReference: 'sub-1-auth1', amount: 300001 })).toMatch(/exceeds/);
    sub.settleRefund('sub-1-auth1-r1', 'failed', 'bank said no');
    expect(planRefund(sub, { chargeReference: 'sub-1-auth1' })).toMatchObject({ amount: { amount: 500000 }, n: 2 });
  });

  describe('refunds planned against the payment ledger (0.6.0, refunds-from-ledger)', () => {
    const ngn = (amount: number) => ({ amount, currency: 'NGN' as const });
    /** Ten Flutterwave cycles, each paid on its fourth attempt: 40 attempts, far more than the 20 the view keeps. */
    function tenHardCycles(sub: SubscriptionState): void {
      for (let cycle = 2; cycle <= 11; cycle += 1) {
        for (let attempt = 1; attempt <= 3; attempt += 1) sub.recordCharge({ cycle, attempt, reference: `sub-1-c${cycle}-a${attempt}`, kind: 'renewal', amount: ngn(500000), outcome: 'declined', reason: 'nsf', at: '' });
        sub.recordCharge({ cycle, attempt: 4, reference: `sub-1-c${cycle}-a4`, kind: 'renewal', amount: ngn(500000), outcome: 'succeeded', gatewayTransactionId: `tx-${cycle}`, at: '' });
      }
    }

    it('keeps a payment refundable after the view has dropped it among the declines', () => {
      const before = activeEntity('flutterwave');
      tenHardCycles(before.sub);
      // Before 0.6.0: cycle 1's payment fell out of the last 20 attempts and could not be refunded.
      expect(planRefund(before.sub, { chargeReference: 'sub-1-auth1' })).toMatch(/is not a successful charge/);
      const { sub } = activeEntity('flutterwave', { refundLedger: true });
      tenHardCycles(sub);
      expect(sub.findCharge('sub-1-auth1')).toBeUndefined();
      expect(planRefund(sub, { chargeReference: 'sub-1-auth1' })).toMatchObject({ charge: { reference: 'sub-1-auth1', gatewayTransactionId: 'tx-auth' }, amount: ngn(500000), n: 1 });
      expect(planRefund(sub, { chargeReference: 'sub-1-c5-a2' })).toMatch(/is not a successful charge/);
    });

    it('counts every partial refund of a charge, however many the refunds list has dropped: no reference is reused', () => {
      const { sub } = activeEntity('flutterwave', { refundLedger: true });
      for (let n = 1; n <= 60; n += 1) {
        const plan = planRefund(sub, { chargeReference: 'sub-1-auth1', amount: 1000 });
        expect(plan).toMatchObject({ n });
        sub.recordRefund({ reference: `sub-1-auth1-r${n}`, chargeReference: 'sub-1-auth1', amount: ngn(1000), status: 'pending', at: '' });
        sub.settleRefund(`sub-1-auth1-r${n}`, n === 7 ? 'failed' : 'processed', n === 7 ? 'bank said no' : undefined);
      }
      expect(sub.s.refunds).toHaveLength(50);
      // 59 of 60 took NGN 10.00 each (the 7th failed): NGN 4410.00 left, and the next refund is the 61st.
      expect(planRefund(sub, { chargeReference: 'sub-1-auth1' })).toMatchObject({ amount: ngn(441000), n: 61 });
      expect(planRefund(sub, { chargeReference: 'sub-1-auth1', amount: 441001 })).toMatch(/exceeds the NGN 4410.00 left/);
    });

    it('a run continued from one before 0.6.0 starts its ledger from the lists it carried', () => {
      const old = activeEntity('flutterwave');
      old.sub.recordRefund({ reference: 'sub-1-auth1-r1', chargeReference: 'sub-1-auth1', amount: ngn(200000), status: 'processed', at: '' });
      const next = new SubscriptionState(structuredClone(old.sub.carried()), () => T0, { refundLedger: true });
      expect(next.refundable('sub-1-auth1')).toMatchObject({ refunded: 200000, issued: 1 });
      expect(planRefund(next, { chargeReference: 'sub-1-auth1' })).toMatchObject({ amount: ngn(300000), n: 2 });
    });
  });

  it('a declined renewal moves Flutterwave to past_due with a retry in 30 minutes, then unpaid when exhausted', () => {
    const { sub, clock } = activeEntity('flutterwave');
    clock.now = Date.parse('2027-02-28T09:00:00.000Z');
    sub.beginCycle();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      sub.openAttempt('renewal');
      sub.closeAttempt();
      sub.chargeDeclined({ cycle: 2, attempt, reference: `sub-1-c2-a${attempt}`, kind: 'renewal', amount: { amount: 500000, currency: 'NGN' }, outcome: 'declined', reason: 'nsf', at: '' });
      if (attempt < 4) expect(sub.s).toMatchObject({ status: 'past_due', dunning: { nextRetryAt: new Date(clock.now + 30 * MIN).toISOString() } });
      clock.now += 30 * MIN;
    }
    expect(sub.s).toMatchObject({ status: 'unpaid', dunning: { nextRetryAt: null } });
    expect(sub.s.outbox.map((e) => e.type).filter((t) => t.startsWith('subscription.'))).toEqual(['subscription.activated', 'subscription.past_due', 'subscription.unpaid']);
  });
});

describe('what webhooks can make a subscription carry', () => {
  it('dedupe state stays bounded in bytes however many distinct events arrive (event ids are at most 128 chars)', () => {
    const sub = new SubscriptionState(firstSnapshot(input(), T0));
    const bytes = () => Buffer.byteLength(JSON.stringify(sub.s.seenEventIds));
    for (let i = 0; i < 10_000; i++) {
      const eventId = `${i}:`.padEnd(128, 'x');
      sub.acceptEvent({ type: 'charge.failed', eventId, gateway: 'paystack', reference: 'someone-else-c1-a1', reason: 'x', needsVerification: false });
      while (sub.takeInboxEvent()); // the loop drains the inbox; the dedupe memory is what is carried
    }
    // 200 ids of at most 128 bytes each, JSON-quoted: the carried dedupe state never approaches Temporal's limits.
    expect(sub.s.seenEventIds).toHaveLength(200);
    expect(bytes()).toBeLessThanOrEqual(200 * (128 + 3) + 2);
    // The workflow's signal handler parses with this schema: a longer id never reaches acceptEvent.
    const event = { type: 'charge.failed', gateway: 'paystack', reference: 'sub-1-c1-a1', reason: 'x' };
    expect(GatewayEventSchema.safeParse({ ...event, eventId: 'e'.repeat(128) }).success).toBe(true);
    expect(GatewayEventSchema.safeParse({ ...event, eventId: 'e'.repeat(129) }).success).toBe(false);
  });
});
