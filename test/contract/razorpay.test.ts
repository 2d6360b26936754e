import { ApplicationFailure } from '@temporalio/common';
import { cardLookupKey } from '../../src/gateways/card-key';
import { RazorpayClient } from '../../src/gateways/razorpay/client';
import { normalize } from '../../src/gateways/razorpay/webhook';
import type { RazorpayConnection } from '../../src/gateways/connections';
import { GatewayEventSchema } from '../../src/shared/gateway-events';
import { testConnections } from '../helpers/gateway-connections';
import { corpusFetch, fixture } from './support/corpus';
import { chargeInput, refundInput } from './support/inputs';

const connection = testConnections().get('razorpay-test') as RazorpayConnection;
const f = (name: string) => fixture('razorpay', name);
const client = (...names: string[]) => {
  const fake = corpusFetch('/v1', names.map(f));
  return { client: new RazorpayClient(connection, fake.fetch), ...fake };
};
const charge = chargeInput('razorpay', 'sub-3-c1-a1', 100000, 'INR', 'token_DEXFX1AEkFlO6h');
const settle = <T>(p: Promise<T>) => p.then((v) => v, (e: unknown) => e);

describe('Razorpay client against the documented corpus', () => {
  it('a renewal: find no order, create it, create the recurring payment, read the order back', async () => {
    const { client: c, requests } = client('orders-by-receipt-empty', 'orders-create', 'recurring-payment-created', 'order-payments-captured');
    const out = await c.chargeCard(charge);
    expect(out).toMatchObject({ status: 'succeeded', gatewayTransactionId: 'pay_DEXFWroJ6LikKT' });
    expect(out.status === 'succeeded' && out.card?.brand).toBe('mastercard');
    expect(requests[0]?.query.get('receipt')).toBe('sub-3-c1-a1');
    expect(requests[2]?.body).toMatchObject({ order_id: 'order_DEXFWXQDtyuYWy', token: 'token_DEXFX1AEkFlO6h', recurring: true, contact: '+919876543210' });
  });

  it('pre-debit: a recurring payment still `created` (debited 36 h 5 min after the notification) is pending, never a decline', async () => {
    const { client: c, remaining } = client('orders-by-receipt-empty', 'orders-create', 'recurring-payment-created', 'order-payments-created');
    await expect(c.chargeCard(charge)).resolves.toEqual({ status: 'pending', reference: 'sub-3-c1-a1' });
    expect(remaining()).toBe(0);
    // A verify during the window reads the same order: still pending, so the workflow keeps waiting (within 4 days).
    const later = client('orders-by-receipt-paid', 'order-payments-created');
    await expect(later.client.verifyCharge({ gateway: 'razorpay', connectionId: 'razorpay-test', reference: 'sub-3-c1-a1' })).resolves.toEqual({ status: 'pending', reference: 'sub-3-c1-a1' });
  });

  it('order_already_paid is verified through the order, never recorded as a decline', async () => {
    const { client: c } = client('orders-by-receipt-empty', 'orders-create', 'recurring-order-already-paid', 'orders-by-receipt-paid', 'order-payments-captured');
    await expect(c.chargeCard(charge)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('a documented decline reason (insufficient_funds) is declined with its code', async () => {
    const { client: c } = client('orders-by-receipt-empty', 'orders-create', 'recurring-insufficient-funds');
    await expect(c.chargeCard(charge)).resolves.toMatchObject({ status: 'declined', code: 'insufficient_funds' });
  });

  it.each(['recurring-bank-technical-error', 'recurring-server-error', 'recurring-rate-limited'])('%s is an unknown outcome: retryable, never a decline', async (name) => {
    const { client: c } = client('orders-by-receipt-empty', 'orders-create', name);
    const err = await settle(c.chargeCard(charge));
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
  });

  it('a retried renewal whose order already has a failed payment is that decline, and sends nothing', async () => {
    const { client: c, requests } = client('orders-by-receipt-paid', 'order-payments-failed');
    await expect(c.chargeCard(charge)).resolves.toMatchObject({ status: 'declined', code: 'insufficient_funds' });
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('the registration link carries the contact and the connection mandate max_amount', async () => {
    const emptyInvoices = { ...f('orders-by-receipt-empty'), request: { method: 'GET' as const, path: '/invoices' } };
    const fake = corpusFetch('/v1', [emptyInvoices, f('auth-link-created')]);
    await new RazorpayClient(connection, fake.fetch).initializeAuthorization({ ...charge, reference: 'sub-3-auth1', isFirstInvoice: true });
    expect(fake.requests[1]?.body).toMatchObject({ customer: { contact: '+919876543210' }, subscription_registration: { max_amount: connection.mandateMaxAmount } });
  });

  it('refunds send X-Refund-Idempotency; a 409 (in flight) is retryable', async () => {
    const { client: c, requests } = client('refund-created');
    await expect(c.refund(refundInput('razorpay', 'sub-3-c1-a1', 'pay_DEXFWroJ6LikKT', 50000, 'INR'))).resolves.toMatchObject({ status: 'pending', gatewayRefundId: 'rfnd_FP8QHiV938haTz' });
    expect(requests[0]?.headers['x-refund-idempotency']).toBe('sub-3-c1-a1-r1');
    const err = await settle(client('refund-in-flight').client.refund(refundInput('razorpay', 'sub-3-c1-a1', 'pay_DEXFWroJ6LikKT', 50000, 'INR')));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
  });
});

describe('Razorpay webhooks from the documented corpus', () => {
  it('identity comes from the signed body: the unsigned x-razorpay-event-id changes nothing', () => {
    const body = f('webhook-payment-captured').body;
    const a = normalize(body, { 'x-razorpay-event-id': 'evt_1' });
    const b = normalize(body, { 'x-razorpay-event-id': 'evt_2'.repeat(500) });
    expect(a.dedupeKey).toBe(b.dedupeKey);
    expect(a.events[0]?.eventId).toBe(b.events[0]?.eventId);
    expect(a.events[0]?.eventId).toMatch(/^[\x21-\x7e]{1,128}$/);
  });

  it('refund.failed settles the refund as failed', () => {
    const out = normalize(f('webhook-refund-failed').body);
    expect(out.events[0]).toMatchObject({ type: 'refund.failed', reference: 'sub-3-c1-a1-r1', chargeReference: 'sub-3-c1-a1' });
  });

  it.each([
    ['webhook-token-cancelled', 'token_DEXFX1AEkFlO6h', 'token.cancelled'],
    ['webhook-token-rejected', 'token_FHhXz1xrfmEtzO', 'token.rejected'],
    ['webhook-token-paused', 'token_FVIP5DVexjoZjF', 'token.paused'],
  ])('%s becomes card.revoked for the token; its reference and id are the card lookup key, never the token', (name, token, reason) => {
    const out = normalize(f(name).body);
    expect(out.events).toEqual([expect.objectContaining({ type: 'card.revoked', token, reason, reference: cardLookupKey('razorpay', token) })]);
    expect(out.events[0]!.eventId).not.toContain(token);
    expect(out.dedupeKey).not.toContain(token);
    expect(() => GatewayEventSchema.parse(out.events[0])).not.toThrow();
  });

  it('payment.failed is charge.failed with the documented description', () => {
    expect(normalize(f('webhook-payment-failed').body).events[0]).toMatchObject({ type: 'charge.failed', reference: 'sub-3-c1-a1' });
  });
});
