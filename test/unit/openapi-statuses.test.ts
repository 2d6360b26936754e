import type { Express } from 'express';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { paystackWebhookExample } from '../../src/api/openapi/example-requests';
import { WEBHOOK_ADAPTERS } from '../../src/gateways/webhooks';
import { bearer, READ_KEY, testApp } from '../helpers/api';
import { sandboxConnections } from '../helpers/gateway-connections';
import { concrete, exampleBody, operations, undocumented, type Operation } from '../helpers/openapi';

/**
 * Every operation of the document, provoked into each status the middleware in front of it can answer, on the real
 * app with a Temporal that is not there (so the routes that call it answer 503). Each answer must be the expected
 * status, and one the document lists for that operation, with a body its schema accepts and a problem `type` one of
 * its examples has. The operations come from the document: a new route is provoked without a new line here.
 * Statuses that need a running subscription (201, 200, 404, 409, 502) are checked by
 * test/integration/openapi-examples.test.ts on the real stack.
 */
type Provoke = (app: Express, path: string, op: Operation) => request.Test;

const call = (app: Express, method: string, path: string): request.Test => (method === 'POST' ? request(app).post(path) : request(app).get(path));

const sandbox = sandboxConnections();
const paystack = sandbox.get('paystack-sandbox')!;
const signed = (body: string) => ({ 'content-type': 'application/json', ...WEBHOOK_ADAPTERS.paystack.sign(body, paystack) });
const foreignCharge = JSON.stringify({ ...paystackWebhookExample, data: { ...paystackWebhookExample.data, reference: 'T_not_chargeloop_123' } });

describe('every status an operation answers is documented for it', () => {
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  let app: Express;
  beforeAll(() => {
    app = testApp(temporal, 'q', { temporalDeadlineMs: 500 });
  });
  afterAll(() => temporal.connection.close());

  const all = operations();
  const v1 = all.filter(([, path]) => path.startsWith('/v1/'));
  const posts = v1.filter(([method]) => method === 'POST');
  const byId = v1.filter(([, path]) => path.startsWith('/v1/subscriptions/{id}'));
  const callsTemporal = v1.filter(([, , op]) => op.responses['503'] !== undefined);

  /** A valid key, and on a POST an Idempotency-Key: what gets a request past the middleware to the route. */
  const withKey = (t: request.Test, method: string): request.Test => {
    t.set('authorization', bearer());
    return method === 'POST' ? t.set('idempotency-key', 'status-test-key') : t;
  };
  const cases: [string, string, Operation, string, number, Provoke][] = [
    ...all.map(([m, p, op]): [string, string, Operation, string, number, Provoke] => [m, p, op, 'a credential in the query string', 400, (a, path) => call(a, m, `${path}?api_key=cl_live_x`)]),
    ...v1.flatMap(([m, p, op]): [string, string, Operation, string, number, Provoke][] => [
      [m, p, op, 'no API key', 401, (a, path) => call(a, m, path)],
      [m, p, op, 'an unknown API key', 401, (a, path) => call(a, m, path).set('authorization', 'Bearer nope')],
      [m, p, op, 'malformed JSON', 400, (a, path) => withKey(call(a, m, path), m).set('content-type', 'application/json').send('{"at":')],
      [m, p, op, 'a text/plain body', 415, (a, path) => withKey(call(a, m, path), m).set('content-type', 'text/plain').send('hello')],
      [m, p, op, 'a latin1 body', 415, (a, path) => withKey(call(a, m, path), m).set('content-type', 'application/json; charset=latin1').send('{}')],
      [m, p, op, 'a 200 kB body', 413, (a, path) => withKey(call(a, m, path), m).set('content-type', 'application/json').send(JSON.stringify({ pad: 'x'.repeat(200_000) }))],
    ]),
    ...posts.flatMap(([m, p, op]): [string, string, Operation, string, number, Provoke][] => [
      [m, p, op, 'a read-only key', 403, (a, path) => call(a, m, path).set('authorization', bearer(READ_KEY)).send(exampleBody(op) as object)],
      [m, p, op, 'an unknown field', 422, (a, path) => withKey(call(a, m, path), m).send({ unknownField: true })],
    ]),
    ...posts
      .filter(([, p]) => p.startsWith('/v1/subscriptions'))
      .map(([m, p, op]): [string, string, Operation, string, number, Provoke] => [m, p, op, 'no Idempotency-Key', 400, (a, path) => call(a, m, path).set('authorization', bearer()).send(exampleBody(op) as object)]),
    ...byId.map(([m, p, op]): [string, string, Operation, string, number, Provoke] => [m, p, op, 'an id that is not a subscription id', 422, (a, path) => withKey(call(a, m, path.replace('/sub-7f3a9c', '/x')), m)]),
    ...callsTemporal.map(([m, p, op]): [string, string, Operation, string, number, Provoke] => [
      m, p, op, 'its example while Temporal is unreachable', 503,
      (a, path) => { const t = withKey(call(a, m, path), m); const body = exampleBody(op); return body === undefined ? t : t.send(body as object); },
    ]),
  ];
  const find = (method: string, path: string): Operation => all.find(([m, p]) => m === method && p === path)![2];
  const webhook = '/webhooks/{gateway}/{connectionId}';
  const route = (method: string, path: string, what: string, status: number, provoke: Provoke): [string, string, Operation, string, number, Provoke] => [method, path, find(method, path), what, status, provoke];
  cases.push(
    route('GET', '/v1/subscriptions', 'a pageSize out of range', 422, (a) => withKey(request(a).get('/v1/subscriptions?pageSize=0'), 'GET')),
    route('GET', '/v1/gateways', 'a read key', 200, (a) => request(a).get('/v1/gateways').set('authorization', bearer(READ_KEY))),
    route('GET', '/v1/gateways/{id}', 'its example', 200, (a, path) => request(a).get(path).set('authorization', bearer())),
    route('GET', '/v1/gateways/{id}', 'an unknown connection', 404, (a) => request(a).get('/v1/gateways/nope').set('authorization', bearer())),
    route('POST', '/v1/subscriptions', 'an unknown connection', 422, (a) => withKey(request(a).post('/v1/subscriptions'), 'POST').send({ ...(exampleBody(find('POST', '/v1/subscriptions')) as object), gatewayConnectionId: 'nope' })),
    route('POST', webhook, 'an unknown connection', 404, (a) => request(a).post('/webhooks/paystack/nope').set(signed(foreignCharge)).send(foreignCharge)),
    route('POST', webhook, 'no signature', 401, (a, path) => request(a).post(path).set('content-type', 'application/json').send(foreignCharge)),
    route('POST', webhook, 'a signed body that is not JSON', 400, (a, path) => request(a).post(path).set(signed('{"event":')).send('{"event":')),
    route('POST', webhook, 'a 300 kB body', 413, (a, path) => request(a).post(path).set('content-type', 'application/json').send(JSON.stringify({ pad: 'x'.repeat(300_000) }))),
    route('POST', webhook, 'an encoding it cannot decode', 415, (a, path) => request(a).post(path).set({ ...signed(foreignCharge), 'content-encoding': 'compress' }).send(foreignCharge)),
    route('POST', webhook, 'a signed event for no Chargeloop subscription', 200, (a, path) => request(a).post(path).set(signed(foreignCharge)).send(foreignCharge)),
    route('POST', webhook, 'its signed example while Temporal is unreachable', 503, (a, path) => {
      const body = JSON.stringify(paystackWebhookExample);
      return request(a).post(path).set(signed(body)).send(body);
    }),
    route('GET', '/docs', 'no trailing slash', 301, (a) => request(a).get('/docs')),
    route('GET', '/openapi.json', 'a plain GET', 200, (a) => request(a).get('/openapi.json')),
    route('GET', '/healthz', 'a plain GET', 200, (a) => request(a).get('/healthz')),
  );

  // Title first, the operation object last: jest prints the leading arguments into the test name.
  const titled = cases.map(([method, template, op, what, status, provoke]) => [method, template, what, status, op, provoke] as const);
  it.each(titled)('%s %s, %s: %i', async (method, template, _what, status, op, provoke) => {
    const res = await provoke(app, concrete(template, op), op);
    const body: unknown = res.headers['content-type']?.startsWith('application/') && res.text ? JSON.parse(res.text) : res.text;
    expect(undocumented(method, template, { status: res.status, contentType: res.headers['content-type'], body })).toEqual([]);
    expect(res.status).toBe(status);
  });

  it('documents 431 for headers past the server limit: Node answers it, without a body', async () => {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/v1/subscriptions`, { headers: { 'x-padding': 'x'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect(await res.text()).toBe('');
      for (const [method, path] of all) expect(undocumented(method, path, { status: 431, body: '' })).toEqual([]);
    } finally {
      server.close();
    }
  });
});
