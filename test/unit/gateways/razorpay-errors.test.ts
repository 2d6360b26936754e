import { ApplicationFailure } from '@temporalio/common';
import { createGatewayActivities } from '../../../src/activities/gateway';
import type { FetchLike } from '../../../src/gateways/http';
import { GatewayErrors, type ChargeCardInput } from '../../../src/shared/gateway-port';
import { testConnections } from '../../helpers/gateway-connections';

/** Answers by "METHOD path" so each Razorpay call in a charge can be scripted. */
function scripted(routes: Record<string, () => { status: number; body: unknown }>) {
  const seen: string[] = [];
  const fn: FetchLike = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const key = `${init?.method ?? 'GET'} ${url.pathname.replace('/v1', '')}`;
    seen.push(key);
    const route = routes[key];
    if (!route) return Promise.resolve(new Response('{"error":{"code":"NOT_FOUND","description":"no route"}}', { status: 404 }));
    const { status, body } = route();
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  };
  return { fn, seen };
}

const input: ChargeCardInput = {
  gateway: 'razorpay', connectionId: 'razorpay-test', subscriptionId: 'rz-1', customer: { id: 'c', email: 'a@b.co' }, amount: { amount: 49_900, currency: 'INR' },
  reference: 'rz-1-c1-a1', card: { token: 'token_1', gatewayCustomerId: 'cust_1', reusable: true }, description: 'x',
};
const order = { id: 'order_1', receipt: 'rz-1-c1-a1', status: 'created', amount: 49_900, currency: 'INR' };

describe('Razorpay recurring charge errors', () => {
  it('a validation error is our request being wrong: non-retryable GatewayRejected', async () => {
    const s = scripted({
      'GET /orders': () => ({ status: 200, body: { items: [] } }),
      'POST /orders': () => ({ status: 200, body: order }),
      'POST /payments/create/recurring': () => ({ status: 400, body: { error: { code: 'BAD_REQUEST_ERROR', description: 'The contact field is invalid', reason: 'input_validation_failed', source: 'business', step: 'payment_initiation' } } }),
    });
    const err = await createGatewayActivities({ connections: testConnections(), fetch: s.fn }).chargeCard(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(GatewayErrors.Rejected);
  });

  it('a bank decline is a declined outcome with the reason', async () => {
    const s = scripted({
      'GET /orders': () => ({ status: 200, body: { items: [] } }),
      'POST /orders': () => ({ status: 200, body: order }),
      'POST /payments/create/recurring': () => ({ status: 400, body: { error: { code: 'BAD_REQUEST_ERROR', description: 'Your payment has been declined by the bank', reason: 'card_declined', source: 'bank', step: 'payment_authorization' } } }),
    });
    expect(await createGatewayActivities({ connections: testConnections(), fetch: s.fn }).chargeCard(input)).toEqual({
      status: 'declined', reference: 'rz-1-c1-a1', reason: 'Your payment has been declined by the bank', code: 'card_declined',
    });
  });

  it('order_already_paid (the documented reason) is answered from the order\'s payments, without a second charge', async () => {
    let orders = 0;
    const s = scripted({
      'GET /orders': () => ({ status: 200, body: { items: orders++ === 0 ? [] : [{ ...order, status: 'paid' }] } }),
      'POST /orders': () => ({ status: 200, body: order }),
      'POST /payments/create/recurring': () => ({ status: 400, body: { error: { code: 'BAD_REQUEST_ERROR', description: 'Your payment has been declined as the order is already paid. Please initiate the payment with a new order.', reason: 'order_already_paid', source: 'business', step: 'payment_initiation' } } }),
      'GET /orders/order_1/payments': () => ({ status: 200, body: { items: [{ id: 'pay_1', status: 'captured', amount: 49_900, currency: 'INR', created_at: 1, token_id: 'token_1' }] } }),
    });
    const outcome = await createGatewayActivities({ connections: testConnections(), fetch: s.fn }).chargeCard(input);
    expect(outcome).toEqual(expect.objectContaining({ status: 'succeeded', gatewayTransactionId: 'pay_1' }));
    expect(s.seen.filter((k) => k === 'POST /payments/create/recurring')).toHaveLength(1);
  });
});
