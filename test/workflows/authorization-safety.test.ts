import type { GatewayEvent } from '../../src/shared/gateway-events';
import { cancelUpdate, gatewayEventSignal, stateQuery } from '../../src/shared/messages';
import type { SubscriptionInput } from '../../src/shared/schemas';
import type { SubscriptionView } from '../../src/shared/state';
import { authorizationReference, chargeReference, refundReference } from '../../src/shared/ids';
import { FakeActivities } from './support/fake-activities';
import { authorizationPaid, HOUR, recordHistory, start, subscriptionInput, useHarness, withWorker } from './support/harness';

const h = useHarness();

/**
 * The journey both refusals share: the first checkout is paid with `refused`, a second checkout opens, is paid
 * properly, cycle 1 is charged, and the subscription is canceled. Returns the final view.
 */
async function refusedThenPaid(fake: FakeActivities, input: SubscriptionInput, refused: GatewayEvent, history?: string): Promise<SubscriptionView> {
  const second = authorizationReference(input.subscriptionId, 2);
  return withWorker(h, fake, async (taskQueue) => {
    const handle = await start(h, taskQueue, input);
    await fake.checkoutOpened();
    await handle.signal(gatewayEventSignal, refused);
    await fake.waitUntil(() => fake.callsOf('initializeAuthorization').length === 2);
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'incomplete', authorization: { status: 'pending' }, card: null });
    await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 5000, currency: 'NGN' }, { reference: second, eventId: 'evt-second', gatewayTransactionId: `tx-${second}` }));
    await fake.waitForEvent('invoice.paid');
    await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
    const result = await handle.result();
    if (history) await recordHistory(h, history, handle);
    return result;
  });
}

describe('card authorization: money the checkout did not ask for, and webhooks that never came', () => {
  it('a checkout paid with another amount is not the authorization: it is refunded and a new checkout opens', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack' });
    const first = authorizationReference(input.subscriptionId, 1);
    const second = authorizationReference(input.subscriptionId, 2);
    // NGN 50.00 was asked; NGN 1.00 was paid (an amount changed in the customer's browser).
    const view = await refusedThenPaid(fake, input, authorizationPaid(input, { amount: 100, currency: 'NGN' }), 'paystack-authorization-amount-mismatch');
    expect(fake.callsOf('initializeAuthorization').map((c) => c.input.reference)).toEqual([first, second]);
    // Each payment refunded once, under its own reference, for what was actually paid.
    expect(fake.callsOf('refundCharge').map((c) => [c.input.reference, c.input.chargeReference, c.input.amount.amount])).toEqual([
      [refundReference(first), first, 100],
      [refundReference(second), second, 5000],
    ]);
    expect(view.charges.find((c) => c.reference === first)).toMatchObject({ outcome: 'succeeded', amount: { amount: 100 }, reason: expect.stringMatching(/asked/) });
    expect(fake.charges().map((c) => c.input.reference)).toEqual([chargeReference(input.subscriptionId, 1, 1)]);
    // The merchant hears of the mismatched payment's refund; the authorization minimum's refund is internal.
    expect(fake.events().filter((e) => e.type === 'refund.processed')).toHaveLength(1);
    expect(view.authorization).toMatchObject({ status: 'authorized', reference: second });
  });

  it('a card the gateway says cannot be charged again is not accepted: refunded, and a new checkout asks for another card', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack' });
    const first = authorizationReference(input.subscriptionId, 1);
    const second = authorizationReference(input.subscriptionId, 2);
    const view = await refusedThenPaid(fake, input, authorizationPaid(input, { amount: 5000, currency: 'NGN' }, { card: { token: 'AUTH_once', last4: '1111', reusable: false } }));
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(first), refundReference(second)]);
    expect(view.charges.find((c) => c.reference === first)).toMatchObject({ reason: expect.stringMatching(/not reusable/) });
    expect(view.card).toMatchObject({ last4: '4081' });
    // Only the reusable card was ever charged for the plan.
    expect(fake.charges().map((c) => c.input.card.token)).toEqual(['AUTH_secret_token']);
  });

  it('a paid checkout whose webhook was lost is found by reference before the window closes, not expired', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack' });
    const auth = authorizationReference(input.subscriptionId);
    fake.verify = (v) =>
      v.reference === auth
        ? { status: 'succeeded', reference: auth, gatewayTransactionId: `tx-${auth}`, amount: { amount: 5000, currency: 'NGN' }, paidAt: '', card: { token: 'AUTH_lost', last4: '4081', reusable: true } }
        : { status: 'not_found', reference: v.reference };
    const before = await h.env.currentTimeMs();
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      // No webhook ever arrives; the window (23 h) runs out (the test server skips the time).
      await fake.checkoutOpened();
      await h.env.sleep(24 * HOUR);
      await fake.waitForEvent('invoice.paid');
      const active = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'paystack-authorization-verified-before-expiry', handle);
      return active;
    });
    expect(fake.callsOf('verifyCharge').map((c) => [c.input.reference, c.scheduledAt - before >= 23 * HOUR])).toEqual([[auth, true]]);
    expect(view).toMatchObject({ status: 'active', cycle: 1, authorization: { status: 'authorized' }, card: { last4: '4081' } });
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(auth)]);
    expect(fake.eventTypes()).not.toContain('subscription.incomplete_expired');
  });

  it('an unpaid checkout is still verified once, then expires (and is watched over its settlement horizon after)', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'flutterwave', plan: { id: 'p', amount: 300000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null } });
    const view = await withWorker(h, fake, async (taskQueue) => (await start(h, taskQueue, input)).result());
    const auth = authorizationReference(input.subscriptionId);
    const expiredAt = Date.parse(view.updatedAt);
    const verifies = fake.callsOf('verifyCharge');
    expect(verifies.filter((c) => c.scheduledAt <= expiredAt).map((c) => c.input.reference)).toEqual([auth]);
    // After the end the checkout may still be paid: verified from an hour on, doubling, for 72 h (0.4.0).
    const after = verifies.filter((c) => c.scheduledAt > expiredAt);
    expect(after.map((c) => c.input.reference)).toEqual(after.map(() => auth));
    expect(after.length).toBeGreaterThan(3);
    expect(after.length).toBeLessThanOrEqual(8);
    expect(Math.max(...after.map((c) => c.scheduledAt)) - expiredAt).toBeLessThanOrEqual(72 * 60 * 60_000);
    expect(view).toMatchObject({ status: 'incomplete_expired', authorization: { status: 'expired' } });
    expect(fake.charges()).toEqual([]);
  });
});
