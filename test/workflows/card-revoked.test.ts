import { cardLookupKey } from '../../src/gateways/card-key';
import { normalize } from '../../src/gateways/razorpay/webhook';
import { PaymentSchema, storedCard } from '../../src/gateways/razorpay/wire';
import { chargeReference } from '../../src/shared/ids';
import { gatewayEventSignal, stateQuery } from '../../src/shared/messages';
import { CardLookupKeyAttr } from '../../src/shared/search-attributes';
import { fixture } from '../contract/support/corpus';
import { FakeActivities } from './support/fake-activities';
import { authorizationPaid, HOUR, skipTo, start, subscriptionInput, useHarness, withWorker } from './support/harness';

// Issue 10: Razorpay `token.cancelled` / `token.paused` / `token.rejected` (the customer revoked the mandate at the
// bank) reach the subscription that holds the card; it records the card as revoked, tells the merchant, and sends no
// renewal to it: the next due charge fails at once with the reason, and the subscription goes unpaid.
const h = useHarness();

/** The card as the Razorpay wire builds it from the documented payment (token_DEXFX1AEkFlO6h). */
const documentedCard = () => {
  const body = fixture('razorpay', 'order-payments-captured').response!.body as { items: unknown[] };
  return storedCard(PaymentSchema.parse(body.items[0]))!;
};
const revocation = (name: string) => normalize(fixture('razorpay', name).body).events[0]!;

describe('issue 10: a revoked card stops renewals', () => {
  it('token.cancelled: the card is revoked, the merchant told, and the next renewal goes unpaid without calling the gateway', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'razorpay', customer: { id: 'cus-r', email: 'ada@example.com', phone: '+919876543210' } });
    const card = documentedCard();
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: input.plan.amount, currency: 'INR' }, { card }));
      await fake.waitForEvent('invoice.paid');
      // The route finds this subscription by the key it computes from the revocation's token (webhooks.ts).
      const revoked = revocation('webhook-token-cancelled');
      expect(revoked.type).toBe('card.revoked');
      const key = cardLookupKey('razorpay', revoked.type === 'card.revoked' ? revoked.token : '');
      expect((await handle.describe()).typedSearchAttributes.get(CardLookupKeyAttr)).toBe(key);

      await handle.signal(gatewayEventSignal, revoked);
      expect((await fake.waitForEvent('card.revoked')).data.reason).toMatch(/token\.cancelled/);
      const active = await handle.query(stateQuery);
      expect(active.status).toBe('active');
      await skipTo(h, Date.parse(active.nextChargeAt!) + HOUR);
      await fake.waitForEvent('subscription.unpaid');
      return handle.query(stateQuery);
    });
    expect(fake.charges()).toEqual([]);
    expect(view).toMatchObject({ status: 'unpaid', cycle: 2, attempts: { nextRetryAt: null } });
    expect(view.charges.find((c) => c.reference === chargeReference(input.subscriptionId, 2, 1))).toMatchObject({ outcome: 'declined', reason: expect.stringMatching(/revoked/) });
    expect(fake.eventTypes().filter((t) => t === 'card.revoked')).toHaveLength(1);
  });

  it('a revocation of a card the subscription does not hold changes nothing', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'razorpay', customer: { id: 'cus-s', email: 'ada@example.com', phone: '+919876543210' } });
    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: input.plan.amount, currency: 'INR' }, { card: { ...documentedCard(), token: 'token_other' } }));
      await fake.waitForEvent('invoice.paid');
      await handle.signal(gatewayEventSignal, revocation('webhook-token-cancelled'));
      const active = await handle.query(stateQuery);
      await skipTo(h, Date.parse(active.nextChargeAt!) + HOUR);
      await fake.waitForEvent('invoice.paid', 2);
      return handle.query(stateQuery);
    });
    expect(fake.charges()).toHaveLength(1);
    expect(fake.eventTypes()).not.toContain('card.revoked');
    expect(view).toMatchObject({ status: 'active', cycle: 2 });
  });
});
