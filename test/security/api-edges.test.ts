import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createLogger } from '../../src/api/logging';
import { applyServerLimits, DEFAULT_SERVER_LIMITS } from '../../src/api/server-limits';
import { bearer, testApp } from '../helpers/api';

/** Every log line the app writes, as text. */
function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

/** A "Temporal" that accepts TCP connections and never answers: the hung cluster the deadlines exist for. */
async function hangingTemporal(): Promise<{ address: string; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: TcpServer = createTcpServer((s) => void sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { address: `127.0.0.1:${port}`, close: () => new Promise((r) => { sockets.forEach((s) => s.destroy()); server.close(() => r()); }) };
}

describe('the API edge under attack', () => {
  let hung: Awaited<ReturnType<typeof hangingTemporal>>;
  let temporal: Client;
  beforeAll(async () => {
    hung = await hangingTemporal();
    temporal = new Client({ connection: Connection.lazy({ address: hung.address }) });
  });
  afterAll(async () => {
    await temporal.connection.close();
    await hung.close();
  });

  it('answers a /v1 call 503 with Retry-After within its deadline when Temporal hangs', async () => {
    const app = testApp(temporal, 'q', { temporalDeadlineMs: 1_000 });
    const started = Date.now();
    const res = await request(app).get('/v1/subscriptions/sub-hang-1').set('authorization', bearer());
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('refuses a forged page token with 422 before asking Temporal (an unkeyed checksum is not enough)', async () => {
    const app = testApp(temporal, 'q', { temporalDeadlineMs: 10_000 });
    const started = Date.now();
    const res = await request(app).get('/v1/subscriptions?pageToken=bm90LWEtdG9rZW4.AAAAAAAAAAAAAAAAAAAAAAAA').set('authorization', bearer());
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('pageToken');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('/readyz says not ready without the address or the gRPC error', async () => {
    const down = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const res = await request(testApp(down, 'q')).get('/readyz').expect(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.text).not.toMatch(/127\.0\.0\.1|:1\b|ECONNREFUSED|UNAVAILABLE|14 /);
    await down.connection.close();
  });

  it('refuses an API key in the query string with 400, and never logs it', async () => {
    const { logger, lines } = capturedLogger();
    const app = testApp(temporal, 'q', { logger });
    for (const name of ['api_key', 'apiKey', 'access_token', 'token', 'key']) {
      const res = await request(app).get(`/v1/subscriptions?${name}=cl_live_leaked_key_123`);
      expect(res.status).toBe(400);
      expect(res.body.title).toBe('Credential in query string');
    }
    expect(lines.join('')).not.toContain('cl_live_leaked_key_123');
  });

  it('redacts every signature and key-like header in request logs', async () => {
    const { logger, lines } = capturedLogger();
    const app = testApp(temporal, 'q', { logger });
    const secrets: Record<string, string> = {
      authorization: 'Bearer sekrit-auth-1',
      cookie: 'session=sekrit-cookie-2',
      'x-api-key': 'sekrit-api-key-3',
      'flutterwave-signature': 'sekrit-flw-sig-4',
      'verif-hash': 'sekrit-verif-5',
      'x-paystack-signature': 'sekrit-paystack-6',
      'x-razorpay-signature': 'sekrit-razorpay-7',
      'x-some-new-gateway-signature': 'sekrit-new-8',
    };
    let req = request(app).get('/healthz');
    for (const [name, value] of Object.entries(secrets)) req = req.set(name, value);
    await req.expect(200);
    const text = lines.join('');
    expect(text).toContain('/healthz');
    for (const value of Object.values(secrets)) expect(text).not.toContain(value.replace(/^Bearer /, ''));
  });

  it('does not serve /metrics on the public listener when metrics have their own address', async () => {
    await request(testApp(temporal, 'q', { serveMetrics: false })).get('/metrics').expect(404);
  });

  it('sets server timeouts and a connection cap deliberately', () => {
    const server: Server = createServer();
    applyServerLimits(server, { ...DEFAULT_SERVER_LIMITS, maxConnections: 7 });
    expect(server.headersTimeout).toBe(10_000);
    expect(server.requestTimeout).toBe(30_000);
    expect(server.keepAliveTimeout).toBe(5_000);
    expect(server.maxConnections).toBe(7);
  });
});
