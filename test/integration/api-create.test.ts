import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseConnections } from '../../src/gateways/connections';
import { bearer, READ_KEY, testApp } from '../helpers/api';
import { client, createBody, eventually, newKey } from '../helpers/api-requests';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { sandboxConnections } from '../helpers/gateway-connections';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { statusIs, viewUntil } from '../helpers/http-api';
import { startStack, type Stack } from '../helpers/stack';

/**
 * The API as `npm run dev` runs it: the real subscription workflow, a worker with the real activities, and the gateway
 * sandbox (over HTTP) behind the `<gateway>-sandbox` connections, so the checkout link is the sandbox's own.
 */
describe('POST /v1/subscriptions on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let taskQueue: string;
  let app: string;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    const [devEnv, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    env = devEnv;
    stack = await startStack({ env, bundle, connectionsAt: sandboxConnections });
    ({ taskQueue, apiUrl: app } = stack);
    api = client(app);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  const workflowsOfCustomer = async (customerId: string): Promise<string[]> => {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `CustomerId = "${customerId}"` })) ids.push(wf.workflowId);
    return ids;
  };

  it('answers 201 with the checkout the customer must open', async () => {
    const res = await api.post('/v1/subscriptions', createBody({ id: 'sub-create-1' })).expect(201);
    expect(res.headers.location).toBe('/v1/subscriptions/sub-create-1');
    expect(res.body).toMatchObject({
      id: 'sub-create-1',
      status: 'incomplete',
      authorization: { status: 'pending', reference: 'sub-create-1-auth1', checkoutUrl: expect.stringMatching(`^${stack.sandboxUrl}/checkout/`), amount: { amount: 5000, currency: 'NGN' } },
    });
    expect(Date.parse(String(res.body.authorization.expiresAt))).toBeGreaterThan(Date.now());
    await api.get('/v1/subscriptions/sub-create-1').expect(200);
  });

  it("charges a connection's own authorization minimum (Paystack publishes none for KES)", async () => {
    const connections = parseConnections({
      'paystack-ke': { gateway: 'paystack', mode: 'test', keys: { secretKey: 'sk_test_x' }, authorizationMinimums: { KES: 500 } },
    });
    const kenya = client(testApp(env.client, taskQueue, { connections, publicBaseUrl: 'http://127.0.0.1:3000' }));
    const plan = { id: 'ke', amount: 100000, currency: 'KES', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null };
    const res = await kenya.post('/v1/subscriptions', createBody({ plan, gatewayConnectionId: 'paystack-ke' })).expect(201);
    expect(res.body.authorization.amount).toEqual({ amount: 500, currency: 'KES' });
  });

  it('creates once for one key, with identical answers, also from a restarted API process', async () => {
    const body = createBody();
    const key = newKey('create');
    const first = await api.post('/v1/subscriptions', body, key).expect(201);
    const second = await api.post('/v1/subscriptions', body, key).expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');

    // The customer pays: the subscription moves on, but a retried create still gets the original answer.
    expect((await payAtCheckout(String(first.body.authorization.checkoutUrl), '4084084084084081')).html).toContain('Payment successful');
    const moved = await viewUntil(stack, String(first.body.id), statusIs('active'));
    expect(moved.status).toBe('active');

    // A second app over a brand-new connection: nothing survives from the first but what Temporal holds.
    const connection = await Connection.connect({ address: env.address });
    try {
      const restarted = client(testApp(new Client({ connection, namespace: env.namespace ?? 'default' }), taskQueue));
      const third = await restarted.post('/v1/subscriptions', body, key).expect(201);
      expect(third.body).toEqual(first.body);
    } finally {
      await connection.close();
    }
    const customerId = (body.customer as { id: string }).id;
    const ids = await eventually(() => workflowsOfCustomer(customerId), (found) => found.length > 0);
    expect(ids).toEqual([`subscription-${first.body.id}`]);
  });

  it('a create retried after the subscription ended still gets its original answer, and starts nothing new', async () => {
    const body = createBody();
    const key = newKey('closed');
    const first = await api.post('/v1/subscriptions', body, key).expect(201);
    await api.post(`/v1/subscriptions/${first.body.id}/cancel`, { at: 'now' }).expect(200);
    const retried = await api.post('/v1/subscriptions', body, key).expect(201);
    // Temporal keeps the checkout update's outcome in the closed workflow's history and answers it again.
    expect(retried.body).toEqual(first.body);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    const now = await api.get(`/v1/subscriptions/${first.body.id}`).expect(200);
    expect(now.body.status).toBe('canceled');
  });

  it('refuses the same key with another body (422) and an existing id under another key (409)', async () => {
    const body = createBody();
    const key = newKey('mismatch');
    const first = await api.post('/v1/subscriptions', body, key).expect(201);
    const other = await api.post('/v1/subscriptions', { ...body, metadata: { changed: true } }, key).expect(422);
    expect(other.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'already used with a different request' }]);

    const taken = await api.post('/v1/subscriptions', { ...createBody(), id: first.body.id }).expect(409);
    expect(taken.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(taken.body.detail).toMatch(/already exists/);
  });

  it('validates against the gateway: Paystack intervalCount 2 and a missing last name are 422s naming the fields', async () => {
    const base = createBody({ id: 'sub-create-rules' });
    const res = await api
      .post('/v1/subscriptions', { ...base, plan: { ...(base.plan as object), intervalCount: 2 }, customer: { id: 'cus_9', email: 'ada@example.com', firstName: 'Ada' } })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'customer.lastName', message: "Paystack requires the customer's last name." },
      { field: 'plan.intervalCount', message: expect.stringMatching(/^Paystack supports only single intervals/) },
    ]);
    await api.get('/v1/subscriptions/sub-create-rules').expect(404);
  });

  it('rejects unknown fields, bad JSON, other media types, oversized bodies and a missing key as problem+json', async () => {
    const unknown = await api.post('/v1/subscriptions', { ...createBody(), plan: { ...(createBody().plan as object), color: 'red' }, extra: 1 }).expect(422);
    expect((unknown.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['extra', 'plan.color']);

    const bad = await api.post('/v1/subscriptions').set('content-type', 'application/json').send('{"customer":').expect(400);
    expect(bad.body).toMatchObject({ status: 400, title: 'Malformed JSON' });
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js/); // no stack trace

    const text = await api.post('/v1/subscriptions').set('content-type', 'text/plain').send('hello').expect(415);
    expect(text.headers['content-type']).toMatch(/application\/problem\+json/);

    const big = { ...createBody(), metadata: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, 'x'.repeat(400)])) };
    await api.post('/v1/subscriptions', big).expect(413);

    const noKey = await request(app).post('/v1/subscriptions').set('authorization', bearer()).send(createBody()).expect(400);
    expect(noKey.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'header is required' }]);
  });

  it('needs an API key with the right scope', async () => {
    const none = await request(app).post('/v1/subscriptions').send(createBody()).expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    await request(app).get('/v1/subscriptions/sub-create-1').set('authorization', 'Bearer not-a-key').expect(401);
    const readOnly = await request(app).post('/v1/subscriptions').set('authorization', bearer(READ_KEY)).set('idempotency-key', newKey()).send(createBody()).expect(403);
    expect(readOnly.body.detail).toMatch(/"write" scope/);
    await request(app).get('/v1/subscriptions/sub-create-1').set('authorization', bearer(READ_KEY)).expect(200);
    await request(app).get('/healthz').expect(200);
  });
});
