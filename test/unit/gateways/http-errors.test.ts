import { ApplicationFailure } from '@temporalio/common';
import { createGatewayActivities } from '../../../src/activities/gateway';
import type { FetchLike } from '../../../src/gateways/http';
import { GatewayErrors } from '../../../src/shared/gateway-port';
import { TEST_SECRETS, testConnections } from '../../helpers/gateway-connections';

/** A fetch that answers every request the same way and records what was asked. */
function fakeFetch(answer: () => Promise<Response>) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fn: FetchLike = (input, init) => {
    calls.push({ url: input instanceof Request ? input.url : input.toString(), init });
    return answer();
  };
  return { fn, calls };
}

const verify = { gateway: 'paystack' as const, connectionId: 'paystack-test', reference: 'sub-1-c1-a1' };
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('gateway HTTP error mapping', () => {
  it.each([503, 500, 429])('HTTP %i is transient: a plain Error, so Temporal retries', async (status) => {
    const f = fakeFetch(() => Promise.resolve(new Response('{"status":false}', { status })));
    const err = await errorOf(createGatewayActivities({ connections: testConnections(), fetch: f.fn }).verifyCharge(verify));
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toMatch(new RegExp(`HTTP ${status}`));
  });

  it('a network failure is transient', async () => {
    const f = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const err = await errorOf(createGatewayActivities({ connections: testConnections(), fetch: f.fn }).verifyCharge(verify));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toMatch(/network error: fetch failed/);
  });

  it('401 is permanent misconfiguration: non-retryable GatewayRejected, no key in the message', async () => {
    const f = fakeFetch(() => Promise.resolve(new Response('{"status":false,"message":"Invalid key"}', { status: 401 })));
    const err = await errorOf(createGatewayActivities({ connections: testConnections(), fetch: f.fn }).verifyCharge(verify));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(GatewayErrors.Rejected);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as Error).message).not.toContain(TEST_SECRETS.paystackSecretKey);
  });

  it('sends the Bearer secret key to the configured base URL', async () => {
    const f = fakeFetch(() => Promise.resolve(new Response('{"status":false,"message":"Transaction reference not found"}', { status: 400 })));
    const acts = createGatewayActivities({ connections: testConnections('http://sandbox.test'), fetch: f.fn });
    expect(await acts.verifyCharge(verify)).toEqual({ status: 'not_found', reference: 'sub-1-c1-a1' });
    expect(f.calls[0]?.url).toBe('http://sandbox.test/paystack/transaction/verify/sub-1-c1-a1');
    expect(new Headers(f.calls[0]?.init?.headers).get('authorization')).toBe(`Bearer ${TEST_SECRETS.paystackSecretKey}`);
  });

  it('Flutterwave receives major units (decimals for NGN, whole numbers for zero-decimal XOF)', async () => {
    const bodies: unknown[] = [];
    const fn: FetchLike = (_input, init) => {
      // The client verifies the tx_ref first (no checkout may exist under it yet).
      if (init?.method === 'GET') return Promise.resolve(new Response('{"status":"error","message":"No transaction was found for this id","data":null}', { status: 400 }));
      bodies.push(JSON.parse(typeof init?.body === 'string' ? init.body : '{}'));
      return Promise.resolve(new Response('{"status":"success","message":"Hosted Link","data":{"link":"http://x.test/c/1"}}', { status: 200 }));
    };
    const acts = createGatewayActivities({ connections: testConnections(), fetch: fn });
    const customer = { id: 'c', email: 'a@b.co' };
    await acts.initializeAuthorization({ gateway: 'flutterwave', connectionId: 'flutterwave-test', subscriptionId: 's1x', customer, amount: { amount: 150_050, currency: 'NGN' }, reference: 's1x-auth1', isFirstInvoice: true });
    await acts.initializeAuthorization({ gateway: 'flutterwave', connectionId: 'flutterwave-test', subscriptionId: 's2x', customer, amount: { amount: 5000, currency: 'XOF' }, reference: 's2x-auth1', isFirstInvoice: true });
    expect(bodies).toEqual([expect.objectContaining({ amount: 1500.5, currency: 'NGN', tx_ref: 's1x-auth1' }), expect.objectContaining({ amount: 5000, currency: 'XOF', tx_ref: 's2x-auth1' })]);
  });

  describe('a charge whose outcome is unknown never surfaces as GatewayRejected (the workflow reads that as "nothing charged")', () => {
    const charge = {
      gateway: 'paystack' as const, connectionId: 'paystack-test', subscriptionId: 'sub-1', customer: { id: 'c', email: 'a@b.co', firstName: 'A', lastName: 'B' },
      amount: { amount: 5000, currency: 'NGN' as const }, reference: 'sub-1-c1-a1', card: { token: 'AUTH_1', reusable: true }, description: 'x',
    };

    it('an unreadable 200 answer to charge_authorization is a plain, retryable Error', async () => {
      const f = fakeFetch(() => Promise.resolve(new Response('{"status":true,"message":"Charge attempted","data":{"weird":1}}', { status: 200 })));
      const err = await errorOf(createGatewayActivities({ connections: testConnections(), fetch: f.fn }).chargeCard(charge));
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(ApplicationFailure);
    });

    it('a duplicate reference whose verify is refused is a plain Error, not a decline', async () => {
      let n = 0;
      const f = fakeFetch(() =>
        Promise.resolve(
          n++ === 0
            ? new Response('{"status":false,"message":"Duplicate Transaction Reference"}', { status: 400 })
            : new Response('{"status":false,"message":"Something odd"}', { status: 400 }),
        ),
      );
      const err = await errorOf(createGatewayActivities({ connections: testConnections(), fetch: f.fn }).chargeCard(charge));
      expect(err).not.toBeInstanceOf(ApplicationFailure);
      expect((err as Error).message).toMatch(/outcome unknown/);
      expect(f.calls.map((c) => new URL(c.url).pathname)).toEqual(['/transaction/charge_authorization', '/transaction/verify/sub-1-c1-a1']);
    });
  });
});
