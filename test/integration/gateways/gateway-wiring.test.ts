import { paystackWebhook } from '../../../src/gateways/paystack/webhook';
import type { Client } from '@temporalio/client';
import express from 'express';
import request from 'supertest';
import { createGatewayApiDeps } from '../../../src/api/gateway-wiring';
import { gatewayEventSignal } from '../../../src/shared/messages';
import { CreateSubscriptionBodySchema } from '../../../src/shared/schemas';
import { testConnections } from '../../helpers/gateway-connections';

describe('createGatewayApiDeps', () => {
  const signalled: { workflowId: string; signal: unknown; args: unknown[] }[] = [];
  const deadlines: number[] = [];
  const temporal = {
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
  } as unknown as Pick<Client, 'workflow' | 'withDeadline'>;
  const deps = createGatewayApiDeps({ connections: testConnections(), temporal, publicBaseUrl: 'http://api.test', checkConnection: () => Promise.resolve() });

  it('webhooks signal gatewayEventSignal on the subscription workflow id', async () => {
    const app = express().use(deps.webhooksRouter);
    const body = JSON.stringify({ event: 'charge.success', data: { id: 9, status: 'success', reference: 'sub-7-c3-a2', amount: 100, currency: 'NGN' } });
    const res = await request(app).post('/webhooks/paystack/paystack-test').set('content-type', 'application/json').set(paystackWebhook.sign(body, testConnections().get('paystack-test')!)).send(body);
    expect(res.status).toBe(200);
    expect(signalled).toEqual([{ workflowId: 'subscription-sub-7', signal: gatewayEventSignal, args: [expect.objectContaining({ type: 'charge.succeeded', reference: 'sub-7-c3-a2' })] }]);
    // Bounded well inside Razorpay's 5 s delivery timeout, so a Temporal outage reaches the gateway as a 503.
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]! - Date.now()).toBeLessThanOrEqual(5_000);
  });

  it('resolves gateways and rules from the connections', () => {
    expect(deps.gatewayOf('razorpay-test')).toBe('razorpay');
    expect(deps.gatewayOf('nope')).toBeUndefined();
    const body = CreateSubscriptionBodySchema.parse({ customer: { id: 'c', email: 'a@b.co' }, plan: { id: 'p', amount: 100, currency: 'NGN', interval: 'month' }, gatewayConnectionId: 'paystack-test' });
    expect(deps.validateForGateway(body).map((v) => v.field)).toEqual(['customer.firstName', 'customer.lastName']);
    expect(deps.validatePlanChange('paystack-test', { ...body.plan, intervalCount: 2 }).map((v) => v.field)).toEqual(['intervalCount']);
  });
});
