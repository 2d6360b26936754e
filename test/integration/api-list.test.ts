import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { client, createBody, eventually } from '../helpers/api-requests';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { sandboxConnections } from '../helpers/gateway-connections';
import { startStack, type Stack } from '../helpers/stack';

interface Page {
  data: { id: string; status: string; customerId: string; gateway: string; planId: string }[];
  nextPageToken: string | null;
}

/** Lists what the real subscription workflow records in visibility; the stack is the API, worker and sandbox of `npm run dev`. */
describe('GET /v1/subscriptions (Temporal visibility), metrics and request ids', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let app: string;
  let api: ReturnType<typeof client>;
  const customerId = `cus-list-${process.pid}`;

  beforeAll(async () => {
    const [devEnv, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    env = devEnv;
    stack = await startStack({ env, bundle, connectionsAt: sandboxConnections });
    app = stack.apiUrl;
    api = client(app);
    for (const [id, planId] of [['sub-list-1', 'gold'], ['sub-list-2', 'gold'], ['sub-list-3', 'silver']]) {
      const body = createBody({ id });
      await api.post('/v1/subscriptions', { ...body, customer: { ...(body.customer as object), id: customerId }, plan: { ...(body.plan as object), id: planId } }).expect(201);
    }
    await api.post('/v1/subscriptions', createBody({ id: 'sub-list-other' })).expect(201);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  const list = async (query: string): Promise<Page> => (await api.get(`/v1/subscriptions?${query}`).expect(200)).body as Page;

  it('filters by customer and plan, and pages with an opaque token', async () => {
    const first = await eventually(() => list(`customerId=${customerId}&pageSize=2`), (p) => p.data.length === 2 && p.nextPageToken !== null);
    expect(first.data.map((s) => s.customerId)).toEqual([customerId, customerId]);
    const second = await list(`customerId=${customerId}&pageSize=2&pageToken=${first.nextPageToken}`);
    expect(second.nextPageToken).toBeNull();
    expect([...first.data, ...second.data].map((s) => s.id).sort()).toEqual(['sub-list-1', 'sub-list-2', 'sub-list-3']);

    const silver = await list(`customerId=${customerId}&planId=silver&status=incomplete&gateway=paystack`);
    expect(silver.data).toEqual([expect.objectContaining({ id: 'sub-list-3', status: 'incomplete', gateway: 'paystack', planId: 'silver' })]);
    expect(await list(`customerId=${customerId}&status=active`)).toEqual({ data: [], nextPageToken: null });
  });

  it('treats filter values as data, never as query syntax', async () => {
    const injected = await list(`customerId=${encodeURIComponent(`${customerId}" OR CustomerId != "x`)}`);
    expect(injected.data).toEqual([]);
    const quoted = await list(`planId=${encodeURIComponent('gold\\" OR PlanId="silver')}`);
    expect(quoted.data).toEqual([]);
  });

  it('answers bad filters and tokens with 422 naming the parameter', async () => {
    const status = await api.get('/v1/subscriptions?status=happy').expect(422);
    expect(status.body.errors[0].field).toBe('status');
    const unknown = await api.get('/v1/subscriptions?colour=red').expect(422);
    expect(unknown.body.errors[0].field).toBe('colour');
    const size = await api.get('/v1/subscriptions?pageSize=1000').expect(422);
    expect(size.body.errors[0].field).toBe('pageSize');
    const token = await api.get('/v1/subscriptions?pageToken=bm90LWEtdG9rZW4.AAAAAAAAAAAAAAAAAAAAAA').expect(422);
    expect(token.body.errors[0].field).toBe('pageToken');
  });

  it('counts requests by route template and status on /metrics, without a key', async () => {
    await api.get('/v1/subscriptions/sub-list-1').expect(200);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.text).toMatch(/chargeloop_http_requests_total\{method="POST",route="\/v1\/subscriptions",status="201"\} [1-9]/);
    expect(res.text).toMatch(/chargeloop_http_request_duration_seconds_bucket\{le="[0-9.]+",method="GET",route="\/v1\/subscriptions\/:id",status="200"\}/);
    expect(res.text).not.toMatch(/sub-list-1/);
    expect(res.text).toMatch(/# TYPE chargeloop_webhooks_total counter/);
  });

  it('echoes a request id: the caller\'s, or a new one', async () => {
    const given = await api.get('/v1/subscriptions/sub-list-1').set('x-request-id', 'req-abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('req-abc-123');
    const made = await api.get('/v1/subscriptions/sub-list-1').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
