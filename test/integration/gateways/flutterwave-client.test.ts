import { ApplicationFailure } from '@temporalio/common';
import { createGatewayActivities } from '../../../src/activities/gateway';
import { createGatewayClient } from '../../../src/gateways/client';
import { GatewayErrors, type ChargeCardInput, type StoredCard } from '../../../src/shared/gateway-port';
import { payAtCheckout, startSandboxHarness, type SandboxHarness } from '../../helpers/gateway-sandbox';

describe('Flutterwave client against the sandbox over HTTP', () => {
  let h: SandboxHarness;
  beforeAll(async () => (h = await startSandboxHarness()));
  afterAll(async () => h.close());

  const customer = { id: 'cus_2', email: 'kofi@example.com' };
  const ref = { gateway: 'flutterwave' as const, connectionId: 'flutterwave-test' };
  const client = () => createGatewayClient(h.connections.get('flutterwave-test')!);
  const charge = (subscriptionId: string, card: StoredCard, cycle = 1): ChargeCardInput => ({
    ...ref, subscriptionId, customer, amount: { amount: 150_050, currency: 'NGN' }, reference: `${subscriptionId}-c${cycle}-a1`, card, description: 'Pro plan',
  });

  async function authorize(subscriptionId: string, cardNumber = '5531886652142950'): Promise<StoredCard> {
    const init = await client().initializeAuthorization({ ...ref, subscriptionId, customer, amount: { amount: 150_050, currency: 'NGN' }, reference: `${subscriptionId}-auth1`, isFirstInvoice: true });
    expect(await (await fetch(init.checkoutUrl)).text()).toContain('NGN 1500.50'); // 1500.5 major units on the wire
    const paid = await payAtCheckout(init.checkoutUrl, cardNumber);
    expect(paid.html).toContain('Payment successful');
    const v = await client().verifyCharge({ ...ref, reference: init.reference });
    if (v.status !== 'succeeded' || !v.card) throw new Error(`not verified: ${JSON.stringify(v)}`);
    expect(v.amount).toEqual({ amount: 150_050, currency: 'NGN' });
    return v.card;
  }

  it('pays the first invoice through checkout + OTP; the webhook is signalled for verification and verify yields the token', async () => {
    const card = await authorize('fw-first');
    expect(card.token).toMatch(/^flw-t1nf-/);
    await h.sandbox.sender.idle();
    const signal = h.signals.find((s) => s.subscriptionId === 'fw-first');
    expect(signal?.event).toEqual(expect.objectContaining({ type: 'charge.succeeded', needsVerification: true, amount: { amount: 150_050, currency: 'NGN' } }));
    if (signal?.event.type !== 'charge.succeeded') throw new Error('expected a charge');
    // The webhook carries no token: the verify API by transaction id is what confirms it and returns the card.
    const byId = await client().verifyCharge({ ...ref, reference: 'fw-first-auth1', gatewayTransactionId: signal.event.gatewayTransactionId });
    expect(byId).toEqual(expect.objectContaining({ status: 'succeeded', card: expect.objectContaining({ token: card.token }) }));
  });

  it('charges the token in major units; a duplicate tx_ref resolves by verifying', async () => {
    const card = await authorize('fw-renew', '4084084084084081');
    const first = await client().chargeCard(charge('fw-renew', card));
    expect(first).toEqual(expect.objectContaining({ status: 'succeeded', amount: { amount: 150_050, currency: 'NGN' } }));
    await fetch(`${h.sandboxUrl}/__sandbox/cards/${card.token}/next-outcome`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"outcome":"decline"}' });
    expect(await client().chargeCard(charge('fw-renew', card))).toEqual(first);
  });

  it('a declined renewal resolves to declined and its failed webhook is signalled', async () => {
    const card = await authorize('fw-decl', '4000000000000341');
    const outcome = await client().chargeCard(charge('fw-decl', card));
    expect(outcome).toEqual({ status: 'declined', reference: 'fw-decl-c1-a1', reason: 'Insufficient funds', code: 'failed' });
    await h.sandbox.sender.idle();
    expect(h.signals).toContainEqual({ subscriptionId: 'fw-decl', event: expect.objectContaining({ type: 'charge.failed', reference: 'fw-decl-c1-a1', needsVerification: true }) });
  });

  it('refunds are refused for good on a connection with refunds disabled (the Flutterwave default)', async () => {
    const acts = createGatewayActivities({ connections: h.connections });
    const err = await acts
      .refundCharge({ ...ref, chargeReference: 'fw-first-auth1', gatewayTransactionId: '1', amount: { amount: 100, currency: 'NGN' }, reference: 'fw-first-auth1-r1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(GatewayErrors.RefundsDisabled);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
  });

  it('refunds in major units when enabled, and a repeated reference returns the same refund', async () => {
    const card = await authorize('fw-refund', '4084084084084081');
    expect(card.token).toBeTruthy();
    const v = await client().verifyCharge({ ...ref, reference: 'fw-refund-auth1' });
    if (v.status !== 'succeeded') throw new Error('not paid');
    const input = { ...ref, chargeReference: 'fw-refund-auth1', gatewayTransactionId: v.gatewayTransactionId, amount: { amount: 50_025, currency: 'NGN' as const }, reference: 'fw-refund-auth1-r1' };
    const first = await client().refund(input);
    expect(first).toEqual(expect.objectContaining({ status: 'processed', reference: 'fw-refund-auth1-r1', amount: { amount: 50_025, currency: 'NGN' } }));
    expect((await client().refund(input)).gatewayRefundId).toBe(first.gatewayRefundId);
  });
});
