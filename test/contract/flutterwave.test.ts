import { ApplicationFailure } from '@temporalio/common';
import { FlutterwaveClient } from '../../src/gateways/flutterwave/client';
import { normalize } from '../../src/gateways/flutterwave/webhook';
import type { FlutterwaveConnection } from '../../src/gateways/connections';
import { GatewayErrors } from '../../src/shared/gateway-port';
import { testConnections } from '../helpers/gateway-connections';
import { corpusFetch, fixture } from './support/corpus';
import { chargeInput, refundInput } from './support/inputs';

const connection = testConnections().get('flutterwave-test') as FlutterwaveConnection;
const f = (name: string) => fixture('flutterwave', name);
const client = (...names: string[]) => {
  const fake = corpusFetch('/v3', names.map(f));
  return { client: new FlutterwaveClient(connection, fake.fetch), ...fake };
};
const charge = chargeInput('flutterwave', 'sub-2-c1-a1', 30000, 'NGN', 'flw-t1nf-f9b3bf384cd30d6fca42b6df9d27bd2f-m03k');
const settle = <T>(p: Promise<T>) => p.then((v) => v, (e: unknown) => e);

describe('Flutterwave client against the documented corpus', () => {
  it('verifies the tx_ref before charging, then maps a successful tokenized charge with a canonical brand', async () => {
    const { client: c, requests } = client('verify-not-found', 'tokenized-charge-success');
    const out = await c.chargeCard(charge);
    expect(out).toMatchObject({ status: 'succeeded', amount: { amount: 30000, currency: 'NGN' } });
    expect(out.status === 'succeeded' && out.card).toMatchObject({ brand: 'mastercard', reusable: true });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /transactions/verify_by_reference', 'POST /tokenized-charges']);
    expect(requests[1]?.body).toMatchObject({ amount: 300, tx_ref: 'sub-2-c1-a1' });
  });

  it('a retried charge whose tx_ref already exists takes that transaction and sends nothing', async () => {
    const { client: c, requests } = client('verify-successful');
    await expect(c.chargeCard({ ...charge, reference: 'sub-2-auth1' })).resolves.toMatchObject({ status: 'succeeded' });
    expect(requests).toHaveLength(1);
  });

  it('a decline (status error with our failed transaction) is declined', async () => {
    const { client: c } = client('verify-not-found', 'tokenized-charge-declined');
    await expect(c.chargeCard(charge)).resolves.toMatchObject({ status: 'declined', reason: 'Insufficient funds' });
  });

  it('a pending charge with a 3-D Secure redirect is pending (bounded by the caller), not succeeded or declined', async () => {
    const { client: c } = client('verify-not-found', 'tokenized-charge-pending-3ds');
    await expect(c.chargeCard(charge)).resolves.toEqual({ status: 'pending', reference: 'sub-2-c1-a1' });
  });

  it.each(['tokenized-charge-duplicate-txref', 'tokenized-charge-unknown-error', 'tokenized-charge-rate-limited', 'tokenized-charge-server-error'])(
    '%s is an unknown outcome (retryable; the retry verifies first), never a decline',
    async (name) => {
      const { client: c } = client('verify-not-found', name);
      const err = await settle(c.chargeCard(charge));
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(ApplicationFailure);
    },
  );

  it('a verify that returns another transaction is a VerificationMismatch naming no reference, never a decline', async () => {
    const { client: c } = client('verify-other-transaction');
    const err = await settle(c.verifyCharge({ gateway: 'flutterwave', connectionId: 'flutterwave-test', reference: 'sub-2-auth1', gatewayTransactionId: '285959875' }));
    expect(err).toMatchObject({ type: GatewayErrors.VerificationMismatch, nonRetryable: true });
    expect((err as Error).message).not.toContain('other-customer');
  });

  it('a refund first lists refunds; an earlier one for the transaction is the result (v3 has no idempotency key)', async () => {
    const { client: c, requests } = client('refunds-list-earlier');
    await expect(c.refund(refundInput('flutterwave', 'sub-2-c1-a1', '277036749', 5000, 'NGN'))).resolves.toMatchObject({ status: 'processed', gatewayRefundId: '8612' });
    expect(requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('a first refund is sent in major units with the reference in comments and no v4 idempotency header', async () => {
    const { client: c, requests } = client('refunds-list-empty', 'refund-initiated');
    await expect(c.refund(refundInput('flutterwave', 'sub-2-c1-a1', '277036749', 5000, 'NGN'))).resolves.toMatchObject({ status: 'processed', amount: { amount: 5000 } });
    expect(requests[1]?.body).toEqual({ amount: 50, comments: 'chargeloop:sub-2-c1-a1-r1' });
    expect(requests[1]?.headers['x-idempotency-key']).toBeUndefined();
  });

  it('a hosted checkout is opened only when its tx_ref is unknown', async () => {
    const init = { ...charge, reference: 'sub-2-auth1', isFirstInvoice: true };
    await expect(client('verify-not-found', 'payments-hosted-link').client.initializeAuthorization(init)).resolves.toMatchObject({ checkoutUrl: expect.stringMatching(/^https:/) });
    await expect(client('verify-successful').client.initializeAuthorization(init)).rejects.toMatchObject({ type: GatewayErrors.DuplicateReference });
  });
});

describe('Flutterwave webhooks from the documented corpus', () => {
  it('charge.completed events ask for verification and carry no unsigned gateway text', () => {
    const ok = normalize(f('webhook-charge-completed-successful').body);
    expect(ok.events[0]).toMatchObject({ type: 'charge.succeeded', reference: 'sub-2-auth1', needsVerification: true, amount: { amount: 10000, currency: 'NGN' } });
    const failed = normalize(f('webhook-charge-completed-failed').body);
    expect(failed.events[0]).toMatchObject({ type: 'charge.failed', needsVerification: true });
    expect(JSON.stringify(failed.events[0])).not.toContain('Insufficient funds');
    expect(ok.dedupeKey).toMatch(/^[\x21-\x7e]{1,128}$/);
  });
});
