import type { GatewayEvent } from '../../src/shared/gateway-events';
import type { ChargeCardInput } from '../../src/shared/gateway-port';
import { authorizationReference, chargeReference, refundReference } from '../../src/shared/ids';
import { cancelUpdate, gatewayEventSignal, reissueCheckoutUpdate, retryNowUpdate, stateQuery, updateCardUpdate } from '../../src/shared/messages';
import type { SubscriptionInput } from '../../src/shared/schemas';
import { declined, FakeActivities, monthly, succeeded } from './support/fake-activities';
import { authorizationPaid, DAY, expectRefused, HOUR, MINUTE, recordHistory, skipTo, start, startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

const h = useHarness();

const NEW_CARD = { token: 'AUTH_new_card_token', last4: '1111', brand: 'mastercard', reusable: true };
/** The stored card declines; the customer's new card pays. */
const oldCardDeclines = (input: ChargeCardInput) => (input.card.token === NEW_CARD.token || /-c1-a\d+$/.test(input.reference) ? succeeded(input) : declined(input));

/** The gateway's webhook for a paid card-update checkout (its minimum), with the new card. */
function cardUpdatePaid(input: SubscriptionInput, reference: string, amount: number, overrides: Partial<Extract<GatewayEvent, { type: 'charge.succeeded' }>> = {}): GatewayEvent {
  return authorizationPaid(input, { amount, currency: input.plan.currency }, { reference, eventId: `evt-${reference}`, gatewayTransactionId: `tx-${reference}`, card: NEW_CARD, ...overrides });
}

const minimumOf = (gateway: SubscriptionInput['gateway']): number => (gateway === 'paystack' ? 5000 : gateway === 'flutterwave' ? 10000 : 100);

// Issue 12 point 1: replacing a card, and reissuing a checkout link (0.6.0).
describe('card update and checkout reissue (0.6.0)', () => {
  it.each([
    ['paystack', 'unpaid'],
    ['flutterwave', 'past_due'],
    ['razorpay', 'past_due'],
  ] as const)('%s: a %s subscription gets a new card and its open cycle is charged on it at once, once', async (gateway, stuck) => {
    const fake = new FakeActivities();
    fake.charge = oldCardDeclines;
    const input = subscriptionInput({ gateway, plan: monthly(gateway === 'razorpay' ? 'INR' : 'NGN') });
    const id = input.subscriptionId;
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + MINUTE);
      expect(await handle.query(stateQuery)).toMatchObject({ status: stuck, cycle: 2, attempts: { made: 1 } });

      const opened = await handle.executeUpdate(updateCardUpdate);
      const reference = authorizationReference(id, 2);
      const minimum = minimumOf(gateway);
      expect(opened.cardUpdate).toMatchObject({ status: 'pending', reference, checkoutUrl: `https://checkout.example/${reference}`, amount: { amount: minimum } });
      expect(fake.callsOf('initializeAuthorization').at(-1)!.input).toMatchObject({ reference, amount: { amount: minimum }, isFirstInvoice: false });
      // The old card is still the card until the new one is authorized.
      expect(opened.card).toMatchObject({ last4: '4081' });

      await handle.signal(gatewayEventSignal, cardUpdatePaid(input, reference, minimum));
      await fake.waitForEvent('invoice.paid', 2);
      const paid = await handle.query(stateQuery);
      expect(paid).toMatchObject({ status: 'active', cycle: 2, card: { last4: '1111', brand: 'mastercard' }, cardUpdate: { status: 'authorized', reference } });
      // The open cycle, on the new card, under the cycle's next attempt reference; nothing charged twice.
      const onNewCard = fake.charges().filter((c) => c.input.card.token === NEW_CARD.token);
      expect(onNewCard.map((c) => c.input.reference)).toEqual([chargeReference(id, 2, 2)]);
      expect(paid.lastPayment).toMatchObject({ reference: chargeReference(id, 2, 2), kind: 'manual_retry' });
      // The minimum is refunded once, as Chargeloop's own mechanics (no refund.processed for it).
      await fake.waitUntil(() => fake.callsOf('refundCharge').some((c) => c.input.chargeReference === reference));
      expect(fake.callsOf('refundCharge').filter((c) => c.input.chargeReference === reference).map((c) => c.input.reference)).toEqual([refundReference(reference)]);
      expect(fake.eventTypes()).toEqual(expect.arrayContaining(['card_update.opened', 'card.updated']));
      const cardUpdated = fake.events().find((e) => e.type === 'card.updated')!;
      expect(cardUpdated.data).toEqual({ reference, card: { last4: '1111', brand: 'mastercard' } });
      expect(JSON.stringify(fake.events())).not.toContain(NEW_CARD.token);

      // The next renewal goes to the new card.
      await skipTo(h, Date.parse(paid.nextChargeAt!) + MINUTE);
      const c3 = fake.charges().find((c) => c.input.reference === chargeReference(id, 3, 1))!;
      expect(c3.input.card.token).toBe(NEW_CARD.token);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, `${gateway}-card-update-${stuck}`, handle);
    });
    expect(fake.charges().filter((c) => c.input.reference === chargeReference(id, 2, 2))).toHaveLength(1);
  });

  it('a card update asked while a charge is at the gateway waits for it: nothing is cut into, and the cycle is paid once', async () => {
    const fake = new FakeActivities();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    fake.charge = async (input) => {
      // The merchant's retry on the old card hangs at the gateway until the card update has been asked for.
      if (input.reference.endsWith('-c2-a2')) await held;
      return oldCardDeclines(input);
    };
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    const id = input.subscriptionId;
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + MINUTE);
      expect((await handle.query(stateQuery)).status).toBe('unpaid');
      const retry = handle.executeUpdate(retryNowUpdate);
      await fake.waitUntil(() => fake.charges().some((c) => c.input.reference === chargeReference(id, 2, 2)));
      const asked = handle.executeUpdate(updateCardUpdate);
      release();
      expect(await retry).toMatchObject({ status: 'unpaid', lastAttempt: { reference: chargeReference(id, 2, 2), outcome: 'declined' } });
      const opened = await asked;
      await handle.signal(gatewayEventSignal, cardUpdatePaid(input, opened.cardUpdate!.reference, 5000));
      await fake.waitForEvent('invoice.paid', 2);
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'active', cycle: 2, card: { last4: '1111' }, lastPayment: { reference: chargeReference(id, 2, 3) } });
      expect(fake.charges().filter((c) => c.input.card.token === NEW_CARD.token).map((c) => c.input.reference)).toEqual([chargeReference(id, 2, 3)]);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
    });
  });

  it('an active subscription keeps billing the old card until the new one is authorized, and charges nothing extra', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const opened = await handle.executeUpdate(updateCardUpdate);
      const charges = fake.charges().length;
      await handle.signal(gatewayEventSignal, cardUpdatePaid(input, opened.cardUpdate!.reference, 5000));
      await fake.waitForEvent('card.updated');
      const updated = await handle.query(stateQuery);
      expect(updated).toMatchObject({ status: 'active', card: { last4: '1111' }, lastPayment: { kind: 'initial' } });
      expect(fake.charges()).toHaveLength(charges);
      expect(updated.charges.find((c) => c.reference === opened.cardUpdate!.reference)).toMatchObject({ kind: 'card_update', outcome: 'succeeded' });
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'paystack-card-update-active', handle);
    });
  });

  it('an unpaid card-update checkout is verified before it expires; a payment found there switches the card', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const { cardUpdate } = await handle.executeUpdate(updateCardUpdate);
      const reference = cardUpdate!.reference;
      // The customer paid, but the webhook is lost: only the verify before the window closes finds it.
      fake.verify = (v) =>
        v.reference === reference
          ? { status: 'succeeded', reference, gatewayTransactionId: `tx-${reference}`, amount: { amount: 5000, currency: 'NGN' }, paidAt: new Date().toISOString(), card: NEW_CARD }
          : { status: 'not_found', reference: v.reference };
      await skipTo(h, Date.parse(cardUpdate!.expiresAt) + MINUTE);
      await fake.waitForEvent('card.updated');
      expect(fake.callsOf('verifyCharge').map((c) => c.input.reference)).toContain(reference);
      expect(await handle.query(stateQuery)).toMatchObject({ card: { last4: '1111' }, cardUpdate: { status: 'authorized' } });
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
    });
  });

  it('an expired card-update checkout keeps the old card; a late payment there is refunded, never kept', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const { cardUpdate } = await handle.executeUpdate(updateCardUpdate);
      const reference = cardUpdate!.reference;
      await skipTo(h, Date.parse(cardUpdate!.expiresAt) + MINUTE);
      const expired = await fake.waitForEvent('card_update.expired');
      expect(expired.data).toMatchObject({ reference });
      expect(await handle.query(stateQuery)).toMatchObject({ card: { last4: '4081' }, cardUpdate: { status: 'expired' } });

      await handle.signal(gatewayEventSignal, cardUpdatePaid(input, reference, 5000));
      const refunding = await fake.waitForEvent('payment.refunding');
      expect(refunding.data).toMatchObject({ reference, refundReference: refundReference(reference) });
      const after = await handle.query(stateQuery);
      expect(after.card).toMatchObject({ last4: '4081' });
      expect(after.lastPayment?.reference).not.toBe(reference);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'paystack-card-update-expired-late-payment', handle);
    });
    expect(fake.callsOf('refundCharge').filter((c) => c.input.chargeReference === authorizationReference(input.subscriptionId, 2))).toHaveLength(1);
  });

  it('asking again replaces the pending card update: the next reference, and a payment at the old one is refunded', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const id = input.subscriptionId;
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      await handle.executeUpdate(updateCardUpdate);
      const second = await handle.executeUpdate(updateCardUpdate);
      expect(second.cardUpdate).toMatchObject({ status: 'pending', reference: authorizationReference(id, 3) });
      await handle.signal(gatewayEventSignal, cardUpdatePaid(input, authorizationReference(id, 2), 10000));
      await fake.waitForEvent('payment.refunding');
      expect((await handle.query(stateQuery)).card).toMatchObject({ last4: '4081' });
      await handle.signal(gatewayEventSignal, cardUpdatePaid(input, authorizationReference(id, 3), 10000));
      await fake.waitForEvent('card.updated');
      expect((await handle.query(stateQuery)).card).toMatchObject({ last4: '1111' });
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
    });
  });

  it('a card-update payment of another amount cannot authorize: refunded, and the card update failed', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const { cardUpdate } = await handle.executeUpdate(updateCardUpdate);
      await handle.signal(gatewayEventSignal, cardUpdatePaid(input, cardUpdate!.reference, 100));
      const failed = await fake.waitForEvent('card_update.failed');
      expect(failed.data.reason).toMatch(/paid NGN 1\.00, asked NGN 50\.00/);
      await fake.waitUntil(() => fake.callsOf('refundCharge').some((c) => c.input.chargeReference === cardUpdate!.reference));
      expect(await handle.query(stateQuery)).toMatchObject({ card: { last4: '4081' }, cardUpdate: { status: 'failed' } });
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
    });
  });

  it('is refused before the card is authorized and after the end', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      await expectRefused(handle.executeUpdate(updateCardUpdate), /reissue the checkout instead/);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await expectRefused(handle.executeUpdate(updateCardUpdate), /is canceled/);
      await handle.result();
    });
  });

  it('reissues a pending checkout: the next reference, a fresh window, and a payment at the old link refunded', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    const id = input.subscriptionId;
    await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      const first = await handle.query(stateQuery);
      await skipTo(h, Date.parse(first.authorization.expiresAt) - HOUR);
      const reissued = await handle.executeUpdate(reissueCheckoutUpdate);
      expect(reissued.authorization).toMatchObject({ status: 'pending', reference: authorizationReference(id, 2), checkoutUrl: `https://checkout.example/${authorizationReference(id, 2)}` });
      expect(Date.parse(reissued.authorization.expiresAt) - Date.parse(first.authorization.expiresAt)).toBeGreaterThan(20 * HOUR);
      expect((await fake.waitForEvent('checkout.reissued')).data).toMatchObject({ reference: authorizationReference(id, 2) });

      // The old window has passed: the subscription is still waiting on the new link.
      await skipTo(h, Date.parse(first.authorization.expiresAt) + HOUR);
      expect((await handle.query(stateQuery)).status).toBe('incomplete');
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 5000, currency: 'NGN' }, { reference: authorizationReference(id, 2), eventId: 'evt-auth2', gatewayTransactionId: 'tx-auth2' }));
      await fake.waitForEvent('invoice.paid');
      // A payment at the replaced link is refunded, with the merchant told.
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 5000, currency: 'NGN' }));
      const refunding = await fake.waitForEvent('payment.refunding');
      expect(refunding.data).toMatchObject({ reference: authorizationReference(id, 1) });
      expect((await handle.query(stateQuery)).status).toBe('active');
      await expectRefused(handle.executeUpdate(reissueCheckoutUpdate), /only a subscription awaiting its card authorization/);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'paystack-checkout-reissued', handle);
    });
    expect(fake.charges().filter((c) => c.input.reference === chargeReference(id, 1, 1))).toHaveLength(1);
  });

  it('a card-update checkout open when the subscription ends is closed and watched: a later payment is refunded', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'razorpay', plan: monthly('INR') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const { cardUpdate } = await handle.executeUpdate(updateCardUpdate);
      const reference = cardUpdate!.reference;
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      // Paid after the cancel and the webhook lost: the watch of the closed checkout finds it and refunds it.
      fake.verify = (v) =>
        v.reference === reference
          ? { status: 'succeeded', reference, gatewayTransactionId: `tx-${reference}`, amount: { amount: 100, currency: 'INR' }, paidAt: new Date().toISOString() }
          : { status: 'not_found', reference: v.reference };
      await skipTo(h, (await h.env.currentTimeMs()) + 2 * HOUR + DAY);
      const refunding = await fake.waitForEvent('payment.refunding');
      expect(refunding.data).toMatchObject({ reference, reason: `paid at card-update checkout ${reference} after it closed` });
      await handle.result();
    });
  });
});
