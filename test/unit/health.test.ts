import express from 'express';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createHealthRouter, type NotReady } from '../../src/api/routes/health';
import type { Readiness } from '../../src/temporal/readiness';
import { testApp } from '../helpers/api';

describe('readiness without Temporal', () => {
  it('answers /readyz with 503 and the reason, while /healthz stays 200', async () => {
    // Nothing listens on port 1: the lazy connection fails on first use, as when the cluster is down.
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const app = testApp(temporal, 'q');
    await request(app).get('/healthz').expect(200);
    const res = await request(app).get('/readyz').expect(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/Temporal is not reachable/);
    await temporal.connection.close();
  });
});

/** The router over a facade double answering `readiness`: the HTTP shape only (the real check: test/integration/readiness.test.ts). */
function probe(readiness: Readiness): { app: express.Express; logged: NotReady[] } {
  const logged: NotReady[] = [];
  const app = express().use(createHealthRouter({ temporal: { ready: () => Promise.resolve(readiness) }, log: (r) => logged.push(r) }));
  return { app, logged };
}

describe('/readyz names the missing part', () => {
  it('is 200 when Temporal answers and a worker polls', async () => {
    const { app, logged } = probe({ ready: true });
    await request(app).get('/readyz').expect(200, { status: 'ready' });
    expect(logged).toEqual([]);
  });

  it('is 503 "no worker is polling task queue …" without a worker; the reason goes to the log only', async () => {
    const reason = 'the newest workflow poll on task queue chargeloop-subscriptions was 300 s ago (1 poller(s) listed; 4242@10.1.2.3)';
    const { app, logged } = probe({ ready: false, missing: 'worker', taskQueue: 'chargeloop-subscriptions', reason });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, detail: 'No worker is polling task queue chargeloop-subscriptions.' });
    expect(res.text).not.toMatch(/10\.1\.2\.3|4242|poller/);
    expect(logged).toEqual([{ ready: false, missing: 'worker', taskQueue: 'chargeloop-subscriptions', reason }]);
  });

  it('is 503 "Temporal is not reachable" when Temporal does not answer, without the gRPC error', async () => {
    const reason = '14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.0.0.7:7233';
    const { app, logged } = probe({ ready: false, missing: 'temporal', reason });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.detail).toBe('Temporal is not reachable.');
    expect(res.text).not.toMatch(/10\.0\.0\.7|ECONNREFUSED|UNAVAILABLE/);
    expect(logged).toHaveLength(1);
  });
});
