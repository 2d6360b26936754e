import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import { Router, type Express } from 'express';
import { Client, Connection } from '@temporalio/client';
import type { z } from 'zod';
import { buildOpenApiDocument } from '../../src/api/openapi/document';
import { createExample } from '../../src/api/openapi/example-requests';
import { AdvanceTestClockRequestSchema } from '../../src/api/routes/test-clock-schemas';
import { validateSubscriptionForConnection } from '../../src/gateways/rules';
import { RefundRequestSchema } from '../../src/shared/messages';
import { CreateSubscriptionBodySchema, PlanSchema } from '../../src/shared/schemas';
import { testApp } from '../helpers/api';
import { sandboxConnections } from '../helpers/gateway-connections';
import { operation, operations, schemaErrors, type MediaType } from '../helpers/openapi';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

/** Every (method, path) the Express app routes, walking nested routers; `:id` becomes `{id}` as in OpenAPI. */
function appRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${(prefix + p).replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(found)].sort();
}

const documented = (): string[] => {
  const paths = buildOpenApiDocument().paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
};

describe('OpenAPI document', () => {
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  afterAll(() => temporal.connection.close());

  it('describes every route the app serves', () => {
    const routes = appRoutes(testApp(temporal, 'q'));
    expect(routes).toEqual(expect.arrayContaining(['POST /v1/subscriptions/{id}/refunds', 'GET /v1/subscriptions', 'GET /docs']));
    expect(routes.filter((r) => !documented().includes(r))).toEqual([]);
  });

  it('would catch an undocumented route (the check itself works), and covers the gateway branch routes', () => {
    const extra = Router();
    extra.get('/v1/gateways', (_req, res) => void res.json({ data: [] }));
    extra.get('/v1/gateways/:id', (_req, res) => void res.json({}));
    extra.get('/v1/secret-admin', (_req, res) => void res.json({}));
    const webhooks = Router();
    webhooks.post('/webhooks/:gateway/:connectionId', (_req, res) => void res.json({ received: true }));
    const routes = appRoutes(testApp(temporal, 'q', { gatewaysRouter: extra, webhooksRouter: webhooks }));
    expect(routes.filter((r) => !documented().includes(r))).toEqual(['GET /v1/secret-admin']);
  });

  it('takes request schemas from the same zod schemas the routes parse with', () => {
    const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> };
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/v1/subscriptions']?.post?.requestBody?.content['application/json']?.schema;
    expect(create).toMatchObject({ type: 'object', additionalProperties: false, required: ['customer', 'plan', 'gatewayConnectionId'] });
    const cancel = doc.paths['/v1/subscriptions/{id}/cancel']?.post?.requestBody?.content['application/json']?.schema;
    expect(cancel).toMatchObject({ properties: { at: { enum: ['now', 'period_end'] } }, additionalProperties: false });
  });

  it('serves the document and offline interactive docs without an API key', async () => {
    const app = testApp(temporal, 'q');
    const json = await request(app).get('/openapi.json').expect(200);
    expect(json.body.info.title).toBe('Chargeloop API');
    await request(app).get('/docs').expect(301).expect('location', '/docs/');
    const html = await request(app).get('/docs/').expect(200);
    expect(html.text).toMatch(/swagger-ui/);
    expect(html.text).not.toMatch(/https?:\/\/(unpkg|cdn)/);
    await request(app).get('/docs/swagger-ui-bundle.js').expect(200);
    const init = await request(app).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"\/v1\/subscriptions"/);
  });
});

/** Every example the document carries, with the schema beside it: request and response bodies, and parameters. */
function examples(): { where: string; schema: Record<string, unknown> | undefined; value: unknown }[] {
  const ofMedia = (where: string, content: Record<string, MediaType> = {}) =>
    Object.entries(content).flatMap(([type, m]) => [
      ...(m.example !== undefined ? [{ where: `${where} ${type}`, schema: m.schema, value: m.example }] : []),
      ...Object.entries(m.examples ?? {}).map(([name, e]) => ({ where: `${where} ${type} ${name}`, schema: m.schema, value: e.value })),
    ]);
  return operations().flatMap(([method, path, op]) => [
    ...ofMedia(`${method} ${path} request`, op.requestBody?.content),
    ...Object.entries(op.responses).flatMap(([status, r]) => ofMedia(`${method} ${path} ${status}`, r.content)),
    ...(op.parameters ?? []).filter((p) => p.example !== undefined).map((p) => ({ where: `${method} ${path} ${p.in} ${p.name}`, schema: p.schema, value: p.example })),
  ]);
}

describe('OpenAPI examples', () => {
  it('every request body and every response with a body has an example, and every problem status one per cause', () => {
    const missing = operations().flatMap(([method, path, op]) => [
      ...Object.entries(op.requestBody?.content ?? {}).filter(([, m]) => m.example === undefined).map(([t]) => `${method} ${path} request ${t}`),
      ...Object.entries(op.responses).flatMap(([status, r]) =>
        Object.entries(r.content ?? {}).filter(([, m]) => m.example === undefined && !Object.keys(m.examples ?? {}).length).map(([t]) => `${method} ${path} ${status} ${t}`),
      ),
    ]);
    expect(missing).toEqual([]);
  });

  it("every example matches the document's own JSON Schema for it", () => {
    const all = examples();
    expect(all.length).toBeGreaterThan(200);
    expect(all.flatMap(({ where, schema, value }) => schemaErrors(schema, value).map((e) => `${where}: ${e}`))).toEqual([]);
  });

  it("the create example passes the paystack-sandbox connection's rules as well as the schema", () => {
    const body = CreateSubscriptionBodySchema.parse(createExample);
    expect(validateSubscriptionForConnection(body, sandboxConnections().get(body.gatewayConnectionId)!)).toEqual([]);
  });
});

/**
 * Values at the edges of what the API enforces, each checked with the route's zod schema and with the document's JSON
 * Schema for the same body: the two must agree. A refinement JSON Schema cannot see (`amount` > 0 written as a
 * refine) fails here, which is why such constraints are zod checks or carry their JSON Schema in `.meta()`.
 */
describe('OpenAPI constraints agree with what the API enforces', () => {
  const requestSchema = (method: string, path: string) => operation(method, path).requestBody!.content['application/json']!.schema;
  const plan = { id: 'gold', amount: 500000, currency: 'NGN', interval: 'month' };
  const cases: [string, string, unknown, z.ZodType][] = [
    ['POST', '/v1/subscriptions', { ...createExample, plan: { ...plan, amount: 0 } }, CreateSubscriptionBodySchema],
    ['POST', '/v1/subscriptions', { ...createExample, plan: { ...plan, amount: 1 } }, CreateSubscriptionBodySchema],
    ['POST', '/v1/subscriptions', { ...createExample, plan: { ...plan, amount: -5 } }, CreateSubscriptionBodySchema],
    ['POST', '/v1/subscriptions', { ...createExample, plan: { ...plan, amount: 1.5 } }, CreateSubscriptionBodySchema],
    ['POST', '/v1/subscriptions', { ...createExample, unknown: true }, CreateSubscriptionBodySchema],
    ['POST', '/v1/subscriptions', { ...createExample, customer: { ...createExample.customer, lastName: '   ' } }, CreateSubscriptionBodySchema],
    ['POST', '/v1/subscriptions', { ...createExample, customer: { ...createExample.customer, lastName: ' Obi ' } }, CreateSubscriptionBodySchema],
    ['POST', '/v1/subscriptions/{id}/plan', { ...plan, amount: 0 }, PlanSchema],
    ['POST', '/v1/subscriptions/{id}/plan', { ...plan, intervalCount: 0 }, PlanSchema],
    ['POST', '/v1/subscriptions/{id}/refunds', { chargeReference: 'sub-7f3a9c-c1-a1', amount: 0 }, RefundRequestSchema],
    ['POST', '/v1/subscriptions/{id}/refunds', { chargeReference: 'sub-7f3a9c-c1-a1', amount: 1 }, RefundRequestSchema],
    ['POST', '/v1/subscriptions/{id}/refunds', { chargeReference: 'sub-7f3a9c-c1-a1' }, RefundRequestSchema],
    ['POST', '/v1/subscriptions/{id}/test-clock/advance', {}, AdvanceTestClockRequestSchema],
    ['POST', '/v1/subscriptions/{id}/test-clock/advance', { by: '1mo' }, AdvanceTestClockRequestSchema],
    ['POST', '/v1/subscriptions/{id}/test-clock/advance', { to: '2026-05-01T00:00:00Z' }, AdvanceTestClockRequestSchema],
    ['POST', '/v1/subscriptions/{id}/test-clock/advance', { by: '1mo', to: '2026-05-01T00:00:00Z' }, AdvanceTestClockRequestSchema],
  ];

  it.each(cases)('%s %s: %j', (method, path, value, schema) => {
    expect(schemaErrors(requestSchema(method, path), value).length === 0).toBe(schema.safeParse(value).success);
  });

  it('states positive amounts as exclusiveMinimum 0', () => {
    const create = requestSchema('POST', '/v1/subscriptions') as { properties: { plan: { properties: { amount: unknown } } } };
    expect(create.properties.plan.properties.amount).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
    expect(create.properties.plan.properties.amount).not.toHaveProperty('minimum');
    const refund = requestSchema('POST', '/v1/subscriptions/{id}/refunds') as { properties: { amount: unknown } };
    expect(refund.properties.amount).toMatchObject({ exclusiveMinimum: 0 });
  });
});

describe('OpenAPI document validity', () => {
  it('validates against the official OpenAPI 3.1 schema', () => {
    // The validator is ESM-only, which jest's CommonJS runtime cannot load: run it in a plain Node child process.
    const script = `
      import { Validator } from '@seriousme/openapi-schema-validator';
      let input = '';
      for await (const chunk of process.stdin) input += chunk;
      const result = await new Validator().validate(JSON.parse(input));
      process.stdout.write(JSON.stringify(result));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: resolve(__dirname, '../..'),
      input: JSON.stringify(buildOpenApiDocument()),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ valid: true });
  });
});
