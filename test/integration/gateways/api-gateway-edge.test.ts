import type { Client } from '@temporalio/client';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import request from 'supertest';
import { paystackWebhook } from '../../../src/gateways/paystack/webhook';
import { gatewayEventSignals } from '../../../src/shared/messages';
import { SIGNAL_DEADLINE_MS } from '../../../src/temporal/subscriptions';
import { bearer, testApp } from '../../helpers/api';
import { testConnections } from '../../helpers/gateway-connections';

// The API is given one Temporal facade and the connections; webhooks, creates and plan changes all go through them.
describe('the API over its Temporal facade and the gateway connections', () => {
  const signalled: { workflowId: string; signal: unknown; args: unknown[] }[] = [];
  const deadlines: number[] = [];
  // Records what the facade asks of the client: the workflow it signals and the deadline it sets.
  const recordingClient = {
    withDeadline: (deadline: number, fn: () => Promise<unknown>) => {
      deadlines.push(deadline);
      return fn();
    },
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: (signal: unknown, ...args: unknown[]) => {
          signalled.push({ workflowId, signal, args });
          return Promise.resolve();
        },
      }),
    },
  } as unknown as Client;
  const connections = testConnections();
  const app = testApp(recordingClient, 'q', { connections });

  it('webhooks signal the event under its type name (gateway.charge.succeeded) on the subscription workflow id, under a bounded deadline', async () => {
    const body = JSON.stringify({ event: 'charge.success', data: { id: 9, status: 'success', reference: 'sub-7-c3-a2', amount: 100, currency: 'NGN' } });
    const res = await request(app).post('/webhooks/paystack/paystack-test').set('content-type', 'application/json').set(paystackWebhook.sign(body, connections.get('paystack-test')!)).send(body);
    expect(res.status).toBe(200);
    expect(signalled).toEqual([{ workflowId: 'subscription-sub-7', signal: gatewayEventSignals['charge.succeeded'], args: [expect.objectContaining({ type: 'charge.succeeded', reference: 'sub-7-c3-a2' })] }]);
    // Bounded well inside Razorpay's 5 s delivery timeout, so a Temporal outage reaches the gateway as a 503.
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]! - Date.now()).toBeLessThanOrEqual(SIGNAL_DEADLINE_MS);
  });

  it('checks a create against its connection before Temporal is called', async () => {
    // Nothing listens on port 1: a create that reached Temporal would fail with 503, not 422.
    const down = new TemporalClient({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const api = testApp(down, 'q', { connections });
    const base = { customer: { id: 'c', email: 'a@b.co' }, plan: { id: 'p', amount: 100, currency: 'NGN', interval: 'month' } };
    const unknown = await request(api).post('/v1/subscriptions').set('authorization', bearer()).set('idempotency-key', 'edge-1').send({ ...base, gatewayConnectionId: 'nope' });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toContain('gatewayConnectionId');
    const rules = await request(api).post('/v1/subscriptions').set('authorization', bearer()).set('idempotency-key', 'edge-2').send({ ...base, gatewayConnectionId: 'paystack-test' });
    expect(rules.status).toBe(422);
    expect(JSON.stringify(rules.body)).toContain('customer.firstName');
    await down.connection.close();
  });
});
