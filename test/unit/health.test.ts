import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
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
