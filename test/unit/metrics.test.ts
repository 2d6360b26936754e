import request from 'supertest';
import { Router } from 'express';
import { Client, Connection } from '@temporalio/client';
import { createApiMetrics } from '../../src/api/metrics';
import { testApp } from '../helpers/api';

describe('webhook metrics', () => {
  it('counts deliveries around the webhook router by gateway and outcome, without an API key', async () => {
    const webhooks = Router();
    // Stands in for the gateway branch's router: the counter reads only the status it answers.
    webhooks.post('/webhooks/:gateway/:connectionId', (req, res) => {
      if (req.params.connectionId === 'bad-sig') res.status(401).end();
      else res.json({ received: true });
    });
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const metrics = createApiMetrics({ defaultMetrics: false });
    const app = testApp(temporal, 'q', { webhooksRouter: webhooks, metrics });
    await request(app).post('/webhooks/paystack/paystack-sandbox').send({}).expect(200);
    await request(app).post('/webhooks/paystack/paystack-sandbox').send({}).expect(200);
    await request(app).post('/webhooks/razorpay/bad-sig').send({}).expect(401);
    await request(app).post('/webhooks/evilpay/x').send({}).expect(200);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(text).toContain('chargeloop_webhooks_total{gateway="paystack",outcome="accepted"} 2');
    expect(text).toContain('chargeloop_webhooks_total{gateway="razorpay",outcome="invalid_signature"} 1');
    expect(text).toContain('chargeloop_webhooks_total{gateway="unknown",outcome="accepted"} 1');
    expect(text).toContain('chargeloop_http_requests_total{method="POST",route="/webhooks/:gateway/:connectionId",status="200"} 3');
    await temporal.connection.close();
  });
});
