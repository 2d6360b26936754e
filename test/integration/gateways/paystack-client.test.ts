import { ApplicationFailure } from '@temporalio/common';
import { createGatewayClient } from '../../../src/gateways/client';
import type { ChargeCardInput, InitializeAuthorizationInput, StoredCard } from '../../../src/shared/gateway-port';
import { GatewayErrors } from '../../../src/shared/gateway-port';
import { payAtCheckout, startSandboxHarness, type SandboxHarness } from '../../helpers/gateway-sandbox';

describe('Paystack client against the sandbox over HTTP', () => {
  let h: SandboxHarness;
  beforeAll(async () => (h = await startSandboxHarness()));
  afterAll(async () => h.close());

  const customer = { id: 'cus_1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi' };
  const client = () => createGatewayClient(h.connections.get('paystack-test')!);
  const auth = (subscriptionId: string): InitializeAuthorizationInput => ({
    gateway: 'paystack', connectionId: 'paystack-test', subscriptionId, customer, amount: { amount: 5000, currency: 'NGN' }, reference: `${subscriptionId}-auth1`, isFirstInvoice: false,
  });
  const charge = (subscriptionId: string, card: StoredCard, cycle = 1): ChargeCardInput => ({
    gateway: 'paystack', connectionId: 'paystack-test', subscriptionId, customer, amount: { amount: 1_250_050, currency: 'NGN' }, reference: `${subscriptionId}-c${cycle}-a1`, card, description: 'Basic plan',
  });

  async function authorize(subscriptionId: string, cardNumber = '4084084084084081'): Promise<StoredCard> {
    const init = await client().initializeAuthorization(auth(subscriptionId));
    expect(init.checkoutUrl).toMatch(new RegExp(`^${h.sandboxUrl}/checkout/`));
    const page = await (await fetch(init.checkoutUrl)).text();
    expect(page).toContain('NGN 50.00'); // 5000 kobo shown as naira: subunits went over the wire
    const paid = await payAtCheckout(init.checkoutUrl, cardNumber);
    expect(paid.html).toContain('Payment successful');
    const verified = await client().verifyCharge({ gateway: 'paystack', connectionId: 'paystack-test', reference: init.reference });
    if (verified.status !== 'succeeded' || !verified.card) throw new Error(`authorization not verified: ${JSON.stringify(verified)}`);
    expect(verified.amount).toEqual({ amount: 5000, currency: 'NGN' });
    expect(verified.card.token).toMatch(/^AUTH_[a-z0-9]{10}$/);
    expect(verified.card.reusable).toBe(true);
    return verified.card;
  }

  it('authorizes through the checkout form, and the signed charge.success webhook reaches the router', async () => {
    await authorize('ps-auth');
    await h.sandbox.sender.idle();
    expect(h.signals).toContainEqual({ subscriptionId: 'ps-auth', event: expect.objectContaining({ type: 'charge.succeeded', reference: 'ps-auth-auth1', amount: { amount: 5000, currency: 'NGN' } }) });
  });

  it('a checkout reopened under a taken reference fails as DuplicateReference, never as a refusal that would expire the subscription', async () => {
    await client().initializeAuthorization(auth('ps-dup'));
    const again = await client().initializeAuthorization(auth('ps-dup')).catch((err: unknown) => err);
    expect(again).toBeInstanceOf(ApplicationFailure);
    expect((again as ApplicationFailure).type).toBe(GatewayErrors.DuplicateReference);
    expect((again as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('authorizes with the OTP (3DS-style) card', async () => {
    const card = await authorize('ps-otp', '4000000000003220');
    expect(card.last4).toBe('3220');
  });

  it('charges the stored card in subunits, and a retried reference resolves by verifying instead of charging again', async () => {
    const card = await authorize('ps-renew');
    const first = await client().chargeCard(charge('ps-renew', card));
    expect(first).toEqual(expect.objectContaining({ status: 'succeeded', reference: 'ps-renew-c1-a1', amount: { amount: 1_250_050, currency: 'NGN' } }));
    // If the retry charged again, this queued decline would be consumed and reported.
    await fetch(`${h.sandboxUrl}/__sandbox/cards/${card.token}/next-outcome`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"decline"}' });
    const retried = await client().chargeCard(charge('ps-renew', card));
    expect(retried).toEqual(first);
    const next = await client().chargeCard(charge('ps-renew', card, 2));
    expect(next).toEqual({ status: 'declined', reference: 'ps-renew-c2-a1', reason: 'Declined', code: 'failed' });
  });

  it('a declined renewal is reported from the API response; Paystack sends no failure webhook', async () => {
    const card = await authorize('ps-decl', '4000000000000341');
    await h.sandbox.sender.idle();
    const before = h.signals.length;
    const outcome = await client().chargeCard(charge('ps-decl', card));
    expect(outcome).toEqual({ status: 'declined', reference: 'ps-decl-c1-a1', reason: 'Insufficient Funds', code: 'failed' });
    await h.sandbox.sender.idle();
    expect(h.signals.length).toBe(before);
  });

  it('declined at checkout leaves the authorization unpaid', async () => {
    const init = await client().initializeAuthorization(auth('ps-chkdecl'));
    const paid = await payAtCheckout(init.checkoutUrl, '4000000000009995');
    expect(paid.html).toContain('Payment failed');
    const v = await client().verifyCharge({ gateway: 'paystack', connectionId: 'paystack-test', reference: init.reference });
    expect(v).toEqual({ status: 'declined', reference: 'ps-chkdecl-auth1', reason: 'Insufficient Funds', code: 'failed' });
  });

  it('verify of an unknown reference is not_found', async () => {
    expect(await client().verifyCharge({ gateway: 'paystack', connectionId: 'paystack-test', reference: 'nope-c1-a1' })).toEqual({ status: 'not_found', reference: 'nope-c1-a1' });
  });

  it('refunds once per reference (retry finds the first refund), then refund.processed arrives', async () => {
    const card = await authorize('ps-refund');
    expect(card.token).toBeTruthy();
    const paid = await client().verifyCharge({ gateway: 'paystack', connectionId: 'paystack-test', reference: 'ps-refund-auth1' });
    if (paid.status !== 'succeeded') throw new Error('the authorization was not paid');
    const input = { gateway: 'paystack' as const, connectionId: 'paystack-test', chargeReference: 'ps-refund-auth1', gatewayTransactionId: paid.gatewayTransactionId, amount: { amount: 5000, currency: 'NGN' as const }, reference: 'ps-refund-auth1-r1' };
    const first = await client().refund(input);
    expect(first).toEqual(expect.objectContaining({ status: 'pending', reference: 'ps-refund-auth1-r1', amount: { amount: 5000, currency: 'NGN' } }));
    const again = await client().refund(input);
    expect(again.gatewayRefundId).toBe(first.gatewayRefundId);
    await new Promise((r) => setTimeout(r, 50));
    await h.sandbox.sender.idle();
    // As at Paystack, the event names the charge and the amount (no merchant_note): the workflow matches on those.
    expect(h.signals).toContainEqual({ subscriptionId: 'ps-refund', event: expect.objectContaining({ type: 'refund.processed', chargeReference: 'ps-refund-auth1', amount: { amount: 5000, currency: 'NGN' } }) });
  });

  it('wrong keys fail for good (non-retryable GatewayRejected) and the error names no key', async () => {
    const bad = createGatewayClient({ ...h.connections.get('paystack-test')!, keys: { secretKey: 'sk_test_wrong_key_123' } } as never);
    const err = await bad.verifyCharge({ gateway: 'paystack', connectionId: 'paystack-test', reference: 'x-c1-a1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(GatewayErrors.Rejected);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as Error).message).not.toContain('sk_test_wrong_key_123');
    await expect(bad.checkCredentials()).rejects.toThrow(/credentials rejected/);
    await expect(client().checkCredentials()).resolves.toBeUndefined();
  });
});
