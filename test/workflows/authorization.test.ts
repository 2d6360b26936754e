import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { cancelUpdate, gatewayEventSignal, stateQuery } from '../../src/shared/messages';
import { authorizationReference, chargeReference, refundReference } from '../../src/shared/ids';
import type { Currency } from '../../src/shared/money';
import { GatewayErrors } from '../../src/shared/gateway-port';
import { SubscriptionErrors } from '../../src/shared/workflow-errors';
import { FakeActivities } from './support/fake-activities';
import { authorizationPaid, HOUR, recordHistory, start, subscriptionInput, useHarness, withWorker } from './support/harness';

const h = useHarness();

describe('card authorization', () => {
  it.each<[Currency, number, Record<string, number> | undefined]>([
    ['NGN', 5000, undefined],
    ['GHS', 10, undefined],
    ['ZAR', 100, undefined],
    ['KES', 500, { KES: 500 }],
  ])('Paystack %s: charges the minimum (%i), refunds it once, then charges the plan', async (currency, minimum, overrides) => {
    const fake = new FakeActivities();
    const input = subscriptionInput({
      gateway: 'paystack',
      plan: { id: 'p', amount: 120000, currency, interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null },
      ...(overrides ? { authorizationMinimums: overrides } : {}),
    });
    const auth = authorizationReference(input.subscriptionId);
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      const paid = authorizationPaid(input, { amount: minimum, currency });
      await fake.checkoutOpened();
      await handle.signal(gatewayEventSignal, paid);
      // A redelivery (same id) and a re-sent webhook (new id, same reference) change nothing.
      await handle.signal(gatewayEventSignal, paid);
      await handle.signal(gatewayEventSignal, { ...paid, eventId: `${paid.eventId}-again` });
      await fake.waitForEvent('invoice.paid');
      await handle.signal(gatewayEventSignal, { ...paid, eventId: `${paid.eventId}-late` });
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      const result = await handle.result();
      if (currency === 'NGN') await recordHistory(h, 'paystack-authorization-duplicates', handle);
      return result;
    });
    expect(fake.callsOf('initializeAuthorization').map((c) => c.input)).toEqual([
      expect.objectContaining({ amount: { amount: minimum, currency }, reference: auth, isFirstInvoice: false }),
    ]);
    expect(fake.callsOf('refundCharge').map((c) => c.input)).toEqual([
      expect.objectContaining({ reference: refundReference(auth), chargeReference: auth, amount: { amount: minimum, currency }, gatewayTransactionId: `tx-${auth}` }),
    ]);
    expect(fake.charges().map((c) => [c.input.reference, c.input.amount.amount])).toEqual([[chargeReference(input.subscriptionId, 1, 1), 120000]]);
    expect(view.authorization).toMatchObject({ status: 'authorized', refunded: true });
    expect(view.status).toBe('canceled');
    expect(fake.eventTypes()).toEqual(['subscription.activated', 'invoice.paid', 'subscription.canceled']);
  });

  it('fails fast on a plan Paystack cannot run (intervalCount 2), before touching the gateway', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: { id: 'p', amount: 1000, currency: 'NGN', interval: 'month', intervalCount: 2, trialDays: 0, totalCycles: null } });
    const err = await withWorker(h, fake, async (taskQueue) => (await start(h, taskQueue, input)).result().catch((e: unknown) => e));
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(SubscriptionErrors.PlanNotSupported);
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);
    expect(cause?.message).toMatch(/intervalCount must be 1/);
    expect(fake.calls).toEqual([]);
  });

  it('expires as incomplete_expired when nobody authorizes within the window', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack' });
    const before = await h.env.currentTimeMs();
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      const result = await handle.result();
      await recordHistory(h, 'paystack-authorization-expired', handle);
      return result;
    });
    expect(view.status).toBe('incomplete_expired');
    expect(view.authorization.status).toBe('expired');
    expect(Date.parse(view.updatedAt) - before).toBeGreaterThanOrEqual(23 * HOUR);
    expect(Date.parse(view.updatedAt) - before).toBeLessThan(24 * HOUR);
    expect(fake.charges()).toEqual([]);
    expect(fake.eventTypes()).toEqual(['subscription.incomplete_expired']);
  });

  it('Flutterwave: an unsigned webhook counts only once verify confirms it; a failed one does not end the checkout', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'flutterwave', plan: { id: 'p', amount: 300000, currency: 'NGN', interval: 'week', intervalCount: 2, trialDays: 0, totalCycles: null } });
    const auth = authorizationReference(input.subscriptionId);
    let genuine = false;
    fake.verify = (v) =>
      genuine
        ? { status: 'succeeded', reference: v.reference, gatewayTransactionId: 'flw-777', amount: { amount: 300000, currency: 'NGN' }, paidAt: '', card: { token: 'flw-token', last4: '1111', reusable: true } }
        : { status: 'declined', reference: v.reference, reason: 'not paid' };
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      // Forged "success": the verify API says otherwise, so nothing changes.
      await fake.checkoutOpened();
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 300000, currency: 'NGN' }, { eventId: 'forged', needsVerification: true }));
      await handle.signal(gatewayEventSignal, { type: 'charge.failed', eventId: 'f1', gateway: 'flutterwave', reference: auth, reason: 'do not honor', needsVerification: false });
      // An event about some other reference is not ours to act on.
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 300000, currency: 'NGN' }, { eventId: 'other', reference: 'someone-else-auth1' }));
      // Both the forged event and the failed one were checked before the genuine one is sent.
      await fake.waitUntil(() => fake.callsOf('verifyCharge').length === 1);
      const pending = await handle.query(stateQuery);
      expect(pending).toMatchObject({ status: 'incomplete', authorization: { status: 'pending' }, card: null });
      genuine = true;
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 300000, currency: 'NGN' }, { eventId: 'genuine', needsVerification: true, card: undefined }));
      await fake.waitForEvent('invoice.paid');
      const active = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'flutterwave-authorization-verified', handle);
      return active;
    });
    expect(fake.callsOf('verifyCharge').map((c) => c.input.reference)).toEqual([auth, auth]);
    expect(view).toMatchObject({ status: 'active', cycle: 1, card: { last4: '1111' } });
    expect(view.charges.find((c) => c.reference === auth)).toMatchObject({ outcome: 'succeeded', gatewayTransactionId: 'flw-777' });
    expect(fake.charges()).toEqual([]);
    expect(fake.callsOf('refundCharge')).toEqual([]);
  });

  it('Razorpay with a trial: refunded minimum authorization, trial, then the first charge at trial end', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'razorpay', plan: { id: 'p', amount: 49900, currency: 'INR', interval: 'month', intervalCount: 1, trialDays: 14, totalCycles: 1 } });
    const auth = authorizationReference(input.subscriptionId);
    const { view, trialing } = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 100, currency: 'INR' }));
      await fake.waitForEvent('subscription.trial_started');
      const trialing = await handle.query(stateQuery);
      return { trialing, view: await handle.result() };
    });
    expect(fake.callsOf('initializeAuthorization')[0]!.input).toMatchObject({ amount: { amount: 100, currency: 'INR' }, isFirstInvoice: false });
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(auth)]);
    expect(trialing.status).toBe('trialing');
    const trialEnd = Date.parse(trialing.trialEndsAt!);
    expect(trialEnd - Date.parse(trialing.authorization.expiresAt) + 23 * HOUR).toBeGreaterThanOrEqual(14 * 24 * HOUR);
    expect(fake.charges()).toHaveLength(1);
    expect(fake.charges()[0]!.scheduledAt - trialEnd).toBeGreaterThanOrEqual(0);
    expect(fake.charges()[0]!.scheduledAt - trialEnd).toBeLessThan(60_000);
    expect(view.status).toBe('completed');
  });

  it('a gateway outage while opening the checkout backs off and retries; an outright refusal expires at once', async () => {
    const flaky = new FakeActivities();
    flaky.onInitialize = (_input, n) => {
      if (n < 2) throw ApplicationFailure.nonRetryable('503 from gateway', 'GatewayUnavailable');
    };
    const input = subscriptionInput({ gateway: 'paystack' });
    const view = await withWorker(h, flaky, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      // Skip past the 1- and 2-minute backoffs (timers in the workflow, so the server skips them).
      await h.env.sleep(10 * 60_000);
      expect(flaky.callsOf('initializeAuthorization')).toHaveLength(3);
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 5000, currency: 'NGN' }));
      await flaky.waitForEvent('invoice.paid');
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      const result = await handle.result();
      await recordHistory(h, 'paystack-checkout-outage-retried', handle);
      return result;
    });
    const opened = flaky.callsOf('initializeAuthorization').map((c) => c.scheduledAt);
    expect(opened[1]! - opened[0]!).toBeGreaterThanOrEqual(60_000);
    expect(opened[2]! - opened[1]!).toBeGreaterThanOrEqual(120_000);
    expect(view.authorization.status).toBe('authorized');

    const refused = new FakeActivities();
    refused.onInitialize = () => {
      throw ApplicationFailure.nonRetryable('connection does not bill in NGN', 'GatewayRejected');
    };
    const expired = await withWorker(h, refused, async (taskQueue) => (await start(h, taskQueue, subscriptionInput({ gateway: 'paystack' }))).result());
    expect(expired.status).toBe('incomplete_expired');
    expect(refused.events()).toEqual([expect.objectContaining({ type: 'subscription.incomplete_expired', data: expect.objectContaining({ reason: expect.stringMatching(/does not bill in NGN/) }) })]);
  });

  it('a checkout whose URL was lost (reference already taken) reopens under the next reference, without expiring', async () => {
    const lost = new FakeActivities();
    lost.onInitialize = (_input, n) => {
      if (n === 0) throw ApplicationFailure.nonRetryable('a checkout already exists', GatewayErrors.DuplicateReference);
    };
    const input = subscriptionInput({ gateway: 'paystack' });
    const view = await withWorker(h, lost, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await lost.waitUntil(() => lost.callsOf('initializeAuthorization').length === 2);
      const opened = await handle.query(stateQuery);
      expect(opened.status).toBe('incomplete');
      expect(opened.authorization.reference).toBe(authorizationReference(input.subscriptionId, 2));
      await handle.signal(gatewayEventSignal, { ...authorizationPaid(input, { amount: 5000, currency: 'NGN' }), reference: opened.authorization.reference });
      await lost.waitForEvent('invoice.paid');
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      return handle.result();
    });
    expect(lost.callsOf('initializeAuthorization').map((c) => c.input.reference)).toEqual([
      authorizationReference(input.subscriptionId, 1),
      authorizationReference(input.subscriptionId, 2),
    ]);
    expect(view.authorization.status).toBe('authorized');
    // The refund of the authorization minimum goes to the charge that was actually paid.
    expect(lost.callsOf('refundCharge').map((c) => c.input.chargeReference)).toEqual([authorizationReference(input.subscriptionId, 2)]);
  });
});
