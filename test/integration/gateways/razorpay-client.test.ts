import { createGatewayActivities } from '../../../src/activities/gateway';
import { createGatewayClient } from '../../../src/gateways/client';
import { ApplicationFailure } from '@temporalio/common';
import { GatewayErrors, type ChargeCardInput, type StoredCard } from '../../../src/shared/gateway-port';
import { payAtCheckout, startSandboxHarness, type SandboxHarness } from '../../helpers/gateway-sandbox';

describe('Razorpay client against the sandbox over HTTP', () => {
  let h: SandboxHarness;
  beforeAll(async () => (h = await startSandboxHarness()));
  afterAll(async () => h.close());

  const customer = { id: 'cus_3', email: 'priya@example.com', phone: '+919876543210' };
  const ref = { gateway: 'razorpay' as const, connectionId: 'razorpay-test' };
  const acts = () => createGatewayActivities({ connections: h.connections });
  const charge = (subscriptionId: string, card: StoredCard, cycle = 1): ChargeCardInput => ({
    ...ref, subscriptionId, customer, amount: { amount: 49_900, currency: 'INR' }, reference: `${subscriptionId}-c${cycle}-a1`, card, description: 'Monthly',
  });

  async function authorize(subscriptionId: string, cardNumber = '4100280000001007'): Promise<StoredCard> {
    const input = { ...ref, subscriptionId, customer, amount: { amount: 49_900, currency: 'INR' as const }, reference: `${subscriptionId}-auth1`, isFirstInvoice: true };
    const init = await acts().initializeAuthorization(input);
    expect(init.gatewayOrderId).toMatch(/^order_/);
    // A retried activity finds the same registration link instead of creating another.
    expect(await acts().initializeAuthorization(input)).toEqual(init);
    expect(await (await fetch(init.checkoutUrl)).text()).toContain('INR 499.00');
    expect((await payAtCheckout(init.checkoutUrl, cardNumber)).html).toContain('Payment successful');
    const v = await acts().verifyCharge({ ...ref, reference: init.reference });
    if (v.status !== 'succeeded' || !v.card) throw new Error(`not verified: ${JSON.stringify(v)}`);
    expect(v.amount).toEqual({ amount: 49_900, currency: 'INR' });
    expect(v.card).toEqual(expect.objectContaining({ token: expect.stringMatching(/^token_/), gatewayCustomerId: expect.stringMatching(/^cust_/), last4: '1007' }));
    return v.card;
  }

  it('authorizes via the registration link; invoice.paid / order.paid reach the router with the receipt as reference', async () => {
    await authorize('rz-auth');
    await h.sandbox.sender.idle();
    const mine = h.signals.filter((s) => s.subscriptionId === 'rz-auth');
    expect(mine.length).toBeGreaterThanOrEqual(2);
    for (const s of mine) expect(s.event).toEqual(expect.objectContaining({ type: 'charge.succeeded', reference: 'rz-auth-auth1', amount: { amount: 49_900, currency: 'INR' } }));
  });

  it('charges the token through one order per reference; a retry never creates a second payment', async () => {
    const card = await authorize('rz-renew');
    const first = await acts().chargeCard(charge('rz-renew', card));
    expect(first).toEqual(expect.objectContaining({ status: 'succeeded', reference: 'rz-renew-c1-a1', amount: { amount: 49_900, currency: 'INR' } }));
    await fetch(`${h.sandboxUrl}/__sandbox/cards/${card.token}/next-outcome`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"decline"}' });
    const retried = await acts().chargeCard(charge('rz-renew', card));
    expect(retried).toEqual(first);
  });

  it('a declined renewal returns the bank reason and payment.failed is signalled as charge.failed', async () => {
    const card = await authorize('rz-decl');
    await fetch(`${h.sandboxUrl}/__sandbox/cards/${card.token}/next-outcome`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"insufficient_funds"}' });
    const outcome = await acts().chargeCard(charge('rz-decl', card));
    expect(outcome).toEqual({ status: 'declined', reference: 'rz-decl-c1-a1', reason: 'Payment failed due to insufficient balance in customer account', code: 'insufficient_funds' });
    // Retrying the activity after a lost response returns the same decline and does not charge again.
    expect(await acts().chargeCard(charge('rz-decl', card))).toEqual(expect.objectContaining({ status: 'declined', reference: 'rz-decl-c1-a1' }));
    await h.sandbox.sender.idle();
    expect(h.signals).toContainEqual({ subscriptionId: 'rz-decl', event: expect.objectContaining({ type: 'charge.failed', reference: 'rz-decl-c1-a1' }) });
  });

  it('refunds with X-Refund-Idempotency: the same reference returns the same refund', async () => {
    const card = await authorize('rz-refund');
    const paid = await acts().chargeCard(charge('rz-refund', card));
    if (paid.status !== 'succeeded') throw new Error('not paid');
    const input = { ...ref, chargeReference: 'rz-refund-c1-a1', gatewayTransactionId: paid.gatewayTransactionId, amount: { amount: 10_000, currency: 'INR' as const }, reference: 'rz-refund-c1-a1-r1' };
    const first = await acts().refundCharge(input);
    expect(first).toEqual(expect.objectContaining({ status: 'pending', reference: 'rz-refund-c1-a1-r1', amount: { amount: 10_000, currency: 'INR' } }));
    expect((await acts().refundCharge(input)).gatewayRefundId).toBe(first.gatewayRefundId);
    await new Promise((r) => setTimeout(r, 50));
    await h.sandbox.sender.idle();
    expect(h.signals).toContainEqual({ subscriptionId: 'rz-refund', event: expect.objectContaining({ type: 'refund.processed', reference: 'rz-refund-c1-a1-r1', chargeReference: 'rz-refund-c1-a1' }) });
  });

  it('activities refuse unknown connections and currencies the connection does not bill', async () => {
    const unknown = await acts().verifyCharge({ gateway: 'razorpay', connectionId: 'nope', reference: 'x-c1-a1' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ApplicationFailure);
    expect((unknown as ApplicationFailure).type).toBe(GatewayErrors.UnknownConnection);
    const card = { token: 'token_x', reusable: true };
    const usd = await acts().chargeCard({ ...charge('rz-usd', card), amount: { amount: 100, currency: 'USD' } }).catch((e: unknown) => e);
    expect((usd as ApplicationFailure).type).toBe(GatewayErrors.Rejected);
    expect((usd as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('verify of a receipt with no order is not_found', async () => {
    expect(await createGatewayClient(h.connections.get('razorpay-test')!).verifyCharge({ ...ref, reference: 'rz-none-c1-a1' })).toEqual({ status: 'not_found', reference: 'rz-none-c1-a1' });
  });
});
