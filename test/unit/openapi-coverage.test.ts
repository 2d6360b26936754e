import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import { Router, type Express } from 'express';
import { Client, Connection } from '@temporalio/client';
import { buildOpenApiDocument } from '../../src/api/openapi/document';
import { testApp } from '../helpers/api';

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
