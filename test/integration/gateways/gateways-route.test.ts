import express from 'express';
import request from 'supertest';
import { createGatewaysRouter } from '../../../src/api/routes/gateways';
import type { GatewayConnection } from '../../../src/gateways/connections';
import { RAZORPAY_WEBHOOK_EVENTS } from '../../../src/gateways/setup-checklist';
import { TEST_SECRETS, testConnections } from '../../helpers/gateway-connections';

describe('GET /v1/gateways', () => {
  const connections = testConnections();
  let releaseRazorpay: () => void = () => undefined;
  const checked: string[] = [];
  const checkConnection = (c: GatewayConnection): Promise<void> => {
    checked.push(c.id);
    if (c.gateway === 'paystack') return Promise.resolve();
    if (c.gateway === 'flutterwave') return Promise.reject(new Error('Flutterwave: GET /v3/balances: credentials rejected (HTTP 401)'));
    return new Promise((resolve) => (releaseRazorpay = resolve));
  };
  const router = createGatewaysRouter({ connections, publicBaseUrl: 'https://billing.example.com/', checkConnection });
  const app = express().use(router);

  it('checks every connection in the background at start-up', () => {
    expect(checked.sort()).toEqual(['flutterwave-test', 'paystack-test', 'razorpay-test']);
  });

  it('shows connected, error with reason, and synchronizing while a check runs', async () => {
    await new Promise((r) => setImmediate(r));
    const res = await request(app).get('/v1/gateways');
    expect(res.status).toBe(200);
    const byId = Object.fromEntries((res.body.data as { id: string; status: unknown }[]).map((c) => [c.id, c.status]));
    expect(byId['paystack-test']).toEqual({ state: 'connected', checkedAt: expect.any(String) });
    expect(byId['flutterwave-test']).toEqual({ state: 'error', reason: expect.stringContaining('HTTP 401'), checkedAt: expect.any(String) });
    expect(byId['razorpay-test']).toEqual({ state: 'synchronizing' });
    releaseRazorpay();
    await router.status.settled();
    const after = await request(app).get('/v1/gateways/razorpay-test');
    expect(after.body.status.state).toBe('connected');
  });

  it('gives the webhook URL and the dashboard checklist, and no secret', async () => {
    const res = await request(app).get('/v1/gateways/razorpay-test');
    expect(res.body.webhookUrl).toBe('https://billing.example.com/webhooks/razorpay/razorpay-test');
    expect(RAZORPAY_WEBHOOK_EVENTS).toEqual(expect.arrayContaining(['refund.failed', 'token.cancelled', 'token.paused', 'token.rejected']));
    expect(RAZORPAY_WEBHOOK_EVENTS.some((e) => e.startsWith('subscription.'))).toBe(false);
    const ids = (res.body.setupChecklist as { id: string }[]).map((i) => i.id);
    expect(ids).toEqual(['webhook-url', ...RAZORPAY_WEBHOOK_EVENTS.map((e) => `event:${e}`)]);
    const fw = await request(app).get('/v1/gateways/flutterwave-test');
    const fwText = (fw.body.setupChecklist as { text: string }[]).map((i) => i.text).join('\n');
    expect(fwText).toMatch(/JSON format[\s\S]*webhook retries[\s\S]*failed transactions[\s\S]*V3 webhooks/);
    expect(fw.body.flags).toEqual({ refundsEnabled: false });
    const all = JSON.stringify((await request(app).get('/v1/gateways')).body);
    for (const secret of [...Object.values(TEST_SECRETS), 'FLWSECK_TEST-0001', 'FLWENC_TEST0001', 'rzp_test_secret_0001']) expect(all).not.toContain(secret);
  });

  it('404 problem+json for an unknown connection', async () => {
    const res = await request(app).get('/v1/gateways/nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
