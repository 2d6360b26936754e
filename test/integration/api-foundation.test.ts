import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bearer } from '../helpers/api';
import { eventually } from '../helpers/api-requests';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { sandboxConnections } from '../helpers/gateway-connections';
import { startStack, type Stack } from '../helpers/stack';

const body = (id: string) => ({
  id,
  customer: { id: 'cus_42', email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi' },
  plan: { id: 'gold', amount: 500000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null },
  gatewayConnectionId: 'paystack-sandbox',
  metadata: {},
});

/** API tests on the real stack: the real subscription workflow, a worker with the real activities, the gateway sandbox. */
describe('API on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let app: string;

  /** Visibility is eventually consistent: ask again until the list answers or the attempts run out. */
  const listUntil = (query: string, want: number): Promise<string[]> =>
    eventually(async () => {
      const ids: string[] = [];
      for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
      return ids;
    }, (ids) => ids.length >= want);

  beforeAll(async () => {
    const [devEnv, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    env = devEnv;
    stack = await startStack({ env, bundle, connectionsAt: sandboxConnections });
    app = stack.apiUrl;
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  let keyN = 0;
  const post = (path: string) => request(app).post(path).set('authorization', bearer()).set('idempotency-key', `foundation-${++keyN}`);
  const get = (path: string) => request(app).get(path).set('authorization', bearer());

  it('is healthy and ready while Temporal answers', async () => {
    await request(app).get('/healthz').expect(200, { status: 'ok' });
    await request(app).get('/readyz').expect(200);
  });

  it('creates a subscription workflow that operators can find by gateway and customer', async () => {
    const res = await post('/v1/subscriptions').send(body('sub-api-1')).expect(201);
    expect(res.body).toMatchObject({ id: 'sub-api-1', status: 'incomplete', gateway: 'paystack' });
    expect(res.headers.location).toBe('/v1/subscriptions/sub-api-1');

    const found = await listUntil('Gateway="paystack" AND CustomerId="cus_42" AND SubscriptionStatus="incomplete"', 1);
    expect(found).toEqual(['subscription-sub-api-1']);

    const got = await get('/v1/subscriptions/sub-api-1').expect(200);
    expect(got.body.id).toBe('sub-api-1');
  });

  it('refuses a second subscription with the same id', async () => {
    await post('/v1/subscriptions').send(body('sub-api-2')).expect(201);
    const res = await post('/v1/subscriptions').send(body('sub-api-2')).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers bad input with problem+json naming the field, and starts nothing', async () => {
    const bad = { ...body('sub-api-3'), plan: { ...body('x').plan, amount: 12.5 }, extra: true };
    const res = await post('/v1/subscriptions').send(bad).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['plan.amount', 'extra']));
    await get('/v1/subscriptions/sub-api-3').expect(404);
  });

  it('answers malformed JSON with 400 and an unknown subscription with 404', async () => {
    await post('/v1/subscriptions').set('content-type', 'application/json').send('{"id":').expect(400);
    const res = await get('/v1/subscriptions/sub-nope').expect(404);
    expect(res.body).toMatchObject({ status: 404, title: 'Not found' });
  });
});
