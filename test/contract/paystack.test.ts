import { ApplicationFailure } from '@temporalio/common';
import { PaystackClient } from '../../src/gateways/paystack/client';
import { normalize } from '../../src/gateways/paystack/webhook';
import type { PaystackConnection } from '../../src/gateways/connections';
import { GatewayErrors } from '../../src/shared/gateway-port';
import { GatewayEventSchema } from '../../src/shared/gateway-events';
import { testConnections } from '../helpers/gateway-connections';
import { corpusFetch, fixture } from './support/corpus';
import { chargeInput, refundInput } from './support/inputs';

const connection = testConnections().get('paystack-test') as PaystackConnection;
const f = (name: string) => fixture('paystack', name);
const client = (...names: string[]) => {
  const fake = corpusFetch('', names.map(f));
  return { client: new PaystackClient(connection, fake.fetch), ...fake };
};
const charge = chargeInput('paystack', 'sub-1-c1-a1', 35247, 'NGN', 'AUTH_uh8bcl3zbn');

describe('Paystack client against the documented corpus', () => {
  it('a successful charge_authorization is succeeded, with the reusable card and a canonical brand', async () => {
    const { client: c, requests } = client('charge-authorization-success');
    const outcome = await c.chargeCard(charge);
    expect(outcome).toMatchObject({ status: 'succeeded', gatewayTransactionId: '4099490251', amount: { amount: 35247, currency: 'NGN' } });
    expect(outcome.status === 'succeeded' && outcome.card).toMatchObject({ token: 'AUTH_uh8bcl3zbn', reusable: true, brand: 'visa', last4: '4081' });
    expect(requests[0]?.body).toMatchObject({ email: 'demo@test.com', amount: 35247, authorization_code: 'AUTH_uh8bcl3zbn', reference: 'sub-1-c1-a1' });
  });

  it('"Charge attempted" with data.status failed is a decline with the gateway response', async () => {
    const { client: c } = client('charge-authorization-failed');
    await expect(c.chargeCard(charge)).resolves.toMatchObject({ status: 'declined', reason: 'Insufficient Funds' });
  });

  it.each(['charge-authorization-not-reusable', 'charge-authorization-deactivated'])('%s (a documented card error) is a decline', async (name) => {
    const { client: c } = client(name);
    await expect(c.chargeCard(charge)).resolves.toMatchObject({ status: 'declined', code: 'authorization_unusable' });
  });

  it('a duplicate reference is resolved by verifying, never by a decline or a second charge', async () => {
    const { client: c, requests } = client('charge-authorization-duplicate-reference', 'verify-success');
    await expect(c.chargeCard(charge)).resolves.toMatchObject({ status: 'succeeded' });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /transaction/charge_authorization', 'GET /transaction/verify/sub-1-c1-a1']);
  });

  it.each(['charge-authorization-unknown-error', 'charge-authorization-rate-limited', 'charge-authorization-server-error', 'charge-authorization-malformed'])(
    '%s is an unknown outcome: a retryable error, never a decline',
    async (name) => {
      const { client: c } = client(name);
      const err = await c.chargeCard(charge).then(
        (v) => v,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(ApplicationFailure);
    },
  );

  it('verify maps not found, abandoned (pending) and a non-reusable authorization exactly', async () => {
    await expect(client('verify-not-found').client.verifyCharge({ ...charge, reference: 'sub-1-c9-a1' })).resolves.toEqual({ status: 'not_found', reference: 'sub-1-c9-a1' });
    await expect(client('verify-abandoned').client.verifyCharge({ ...charge, reference: 'sub-1-auth1' })).resolves.toEqual({ status: 'pending', reference: 'sub-1-auth1' });
    const out = await client('verify-success-not-reusable').client.verifyCharge({ ...charge, reference: 'sub-1-auth1' });
    expect(out.status === 'succeeded' && out.card?.reusable).toBe(false);
  });

  it('initialize: a duplicate reference is DuplicateReference (the lost checkout cannot be had again)', async () => {
    const init = { ...charge, reference: 'sub-1-auth1', isFirstInvoice: false };
    await expect(client('initialize-success').client.initializeAuthorization(init)).resolves.toMatchObject({ checkoutUrl: expect.stringMatching(/^https:/) });
    await expect(client('initialize-duplicate-reference').client.initializeAuthorization(init)).rejects.toMatchObject({ type: GatewayErrors.DuplicateReference });
  });

  it('a retried refund finds the earlier one by transaction id and merchant_note instead of refunding twice', async () => {
    const { client: c, requests } = client('refund-list');
    await expect(c.refund(refundInput('paystack', 'sub-1-auth1', '4099490251', 5000, 'NGN'))).resolves.toMatchObject({ status: 'processed', gatewayRefundId: '3018284' });
    expect(requests).toHaveLength(1);
  });

  it('a first refund is sent with the reference in merchant_note and stays pending until its webhook', async () => {
    const empty = { ...f('refund-list'), response: { status: 200, body: { status: true, message: 'Refunds retrieved', data: [] } } };
    const fake = corpusFetch('', [empty, f('refund-create')]);
    const out = await new PaystackClient(connection, fake.fetch).refund(refundInput('paystack', 'sub-1-auth1', '4099490251', 5000, 'NGN'));
    expect(out).toMatchObject({ status: 'pending', gatewayRefundId: '3018284' });
    expect(fake.requests[1]?.body).toMatchObject({ transaction: 'sub-1-auth1', amount: 5000, merchant_note: 'chargeloop:sub-1-auth1-r1' });
  });
});

describe('Paystack webhooks from the documented corpus', () => {
  it('charge.success with a non-reusable authorization yields a card marked not reusable', () => {
    const out = normalize(f('webhook-charge-success-not-reusable').body);
    const event = out.events[0];
    expect(event?.type === 'charge.succeeded' && event.card?.reusable).toBe(false);
  });

  it('real refund.processed / refund.failed payloads (no merchant_note) settle by charge and amount', () => {
    for (const [name, type] of [['webhook-refund-processed', 'refund.processed'], ['webhook-refund-failed', 'refund.failed']] as const) {
      const out = normalize(f(name).body);
      expect(out.events).toHaveLength(1);
      expect(out.events[0]).toMatchObject({ type, chargeReference: 'sub-1-auth1', amount: { amount: 5000, currency: 'NGN' } });
      expect(() => GatewayEventSchema.parse(out.events[0])).not.toThrow();
    }
  });

  it('refund.pending changes nothing, and identities are bounded ASCII from the body', () => {
    expect(normalize(f('webhook-refund-pending').body).events).toEqual([]);
    for (const name of ['webhook-charge-success', 'webhook-refund-processed', 'webhook-refund-failed']) {
      const out = normalize(f(name).body);
      expect(out.dedupeKey).toMatch(/^[\x21-\x7e]{1,128}$/);
      for (const e of out.events) expect(e.eventId).toMatch(/^[\x21-\x7e]{1,128}$/);
    }
  });
});
