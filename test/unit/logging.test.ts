import { Writable } from 'node:stream';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createLogger } from '../../src/api/logging';
import { READ_KEY, testApp, WRITE_KEY } from '../helpers/api';

describe('request logs', () => {
  it('are JSON lines with the request id, and never carry the API key', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) });
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const app = testApp(temporal, 'q', { logger: createLogger({ level: 'info', destination: sink }) });

    await request(app).post('/v1/subscriptions').set('authorization', `Bearer ${WRITE_KEY}`).set('idempotency-key', 'k-1').set('x-request-id', 'req-log-1').send({ nope: true }).expect(422);
    await request(app).post('/v1/subscriptions').set('authorization', `Bearer ${READ_KEY}`).set('idempotency-key', 'k-2').send({}).expect(403);
    await temporal.connection.close();

    const entries = lines.map((l) => JSON.parse(l) as { req?: { id?: string; headers?: Record<string, string> }; res?: { statusCode?: number } });
    const first = entries.find((e) => e.req?.id === 'req-log-1');
    expect(first?.res?.statusCode).toBe(422);
    expect(first?.req?.headers?.authorization).toBe('[redacted]');
    expect(first?.req?.headers?.['idempotency-key']).toBe('k-1');
    const all = lines.join('\n');
    expect(all).not.toContain(WRITE_KEY);
    expect(all).not.toContain(READ_KEY);
  });

  it('write a line only at an enabled level, with the level the status calls for', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) });
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const app = testApp(temporal, 'q', { logger: createLogger({ level: 'warn', destination: sink }) });

    const ok = await request(app).get('/openapi.json').set('x-request-id', 'req-ok').expect(200);
    expect(ok.headers['x-request-id']).toBe('req-ok');
    await request(app).get('/v1/nowhere').set('x-request-id', 'req-401').expect(401);
    await request(app).post('/webhooks/paystack/nope').set('x-request-id', 'req-404').send('{}').expect(404);
    await temporal.connection.close();

    const entries = lines.map((l) => JSON.parse(l) as { level: number; msg: string; req?: { id?: string; url?: string; method?: string }; res?: { statusCode?: number }; responseTime?: number });
    // The 200 is below `warn`: no line at all. Each 4xx is one warn (40) line naming its request.
    expect(entries.map((e) => e.req?.id)).toEqual(['req-401', 'req-404']);
    expect(entries.every((e) => e.level === 40 && e.msg === 'request completed')).toBe(true);
    expect(entries[1]).toMatchObject({ req: { method: 'POST', url: '/webhooks/paystack/nope' }, res: { statusCode: 404 } });
    expect(typeof entries[1]?.responseTime).toBe('number');
  });
});
