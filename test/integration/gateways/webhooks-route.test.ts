import { razorpayWebhook } from '../../../src/gateways/razorpay/webhook';
import { createHmac } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { createWebhooksRouter } from '../../../src/api/routes/webhooks';
import type { RouteLogger } from '../../../src/api/routes/route-logger';
import type { GatewayEvent } from '../../../src/shared/gateway-events';
import { TEST_SECRETS, testConnections } from '../../helpers/gateway-connections';

type Signal = { subscriptionId: string; event: GatewayEvent };

function setup(signal?: (s: Signal) => Promise<void>) {
  const signals: Signal[] = [];
  const logs: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const rec = (level: string) => (obj: Record<string, unknown>, msg: string) => logs.push({ level, msg, obj });
  const logger: RouteLogger = { info: rec('info'), warn: rec('warn'), error: rec('error') };
  const app = express();
  // The webhook router reads raw bytes itself, so it is mounted before any app-wide JSON parser.
  app.use(
    createWebhooksRouter({
      connections: testConnections(),
      logger,
      subscriptions: {
        signal: async (subscriptionId, event) => {
          if (signal) await signal({ subscriptionId, event });
          signals.push({ subscriptionId, event });
        },
      },
    }),
  );
  app.use(express.json());
  return { app, signals, logs };
}

const paystackBody = (reference = 'sub-1-c1-a1', id = 42) =>
  JSON.stringify({ event: 'charge.success', data: { id, status: 'success', reference, amount: 500000, currency: 'NGN', paid_at: '2026-11-21T06:00:00Z', authorization: { authorization_code: 'AUTH_1', reusable: true } } });
const paystackSig = (body: string, key = TEST_SECRETS.paystackSecretKey) => createHmac('sha512', key).update(body).digest('hex');
const rzpSig = (body: string) => razorpayWebhook.sign(body, testConnections().get('razorpay-test')!)['x-razorpay-signature']!;

const postPaystack = (app: express.Express, body: string, sig = paystackSig(body)) =>
  request(app).post('/webhooks/paystack/paystack-test').set('content-type', 'application/json').set('x-paystack-signature', sig).send(body);

describe('POST /webhooks/:gateway/:connectionId', () => {
  it('signals the subscription named by the reference and answers 200 afterwards', async () => {
    const { app, signals } = setup();
    const res = await postPaystack(app, paystackBody());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(signals).toHaveLength(1);
    expect(signals[0]?.subscriptionId).toBe('sub-1');
    expect(signals[0]?.event).toEqual(expect.objectContaining({ type: 'charge.succeeded', reference: 'sub-1-c1-a1', amount: { amount: 500000, currency: 'NGN' } }));
  });

  it('401 for a bad signature, a missing signature and a signature by another key; nothing signalled', async () => {
    const { app, signals } = setup();
    const body = paystackBody();
    const bad = await postPaystack(app, body, paystackSig(body, 'sk_test_wrong'));
    const missing = await request(app).post('/webhooks/paystack/paystack-test').set('content-type', 'application/json').send(body);
    const tampered = await postPaystack(app, body.replace('500000', '1'), paystackSig(body));
    for (const res of [bad, missing, tampered]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toEqual(expect.objectContaining({ status: 401, title: 'Invalid webhook signature' }));
    }
    expect(signals).toHaveLength(0);
  });

  it('400 for a correctly signed body that is not JSON', async () => {
    const { app, signals } = setup();
    const res = await postPaystack(app, '{"event": nope', paystackSig('{"event": nope'));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(signals).toHaveLength(0);
  });

  it('413 for a body over the limit', async () => {
    const { app, signals } = setup();
    const huge = JSON.stringify({ event: 'charge.success', data: { pad: 'x'.repeat(300 * 1024) } });
    const res = await postPaystack(app, huge);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(signals).toHaveLength(0);
  });

  it('404 for an unknown connection or a gateway that does not match it', async () => {
    const { app, signals } = setup();
    const body = paystackBody();
    const unknown = await request(app).post('/webhooks/paystack/nope').set('x-paystack-signature', paystackSig(body)).send(body);
    const mismatch = await request(app).post('/webhooks/razorpay/paystack-test').set('x-razorpay-signature', rzpSig(body)).send(body);
    const noGateway = await request(app).post('/webhooks/stripe/paystack-test').send(body);
    for (const res of [unknown, mismatch, noGateway]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(signals).toHaveLength(0);
  });

  it('503 when Temporal does not accept the signal, then 200 on redelivery', async () => {
    let temporalUp = false;
    const { app, signals } = setup(() => (temporalUp ? Promise.resolve() : Promise.reject(new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233'))));
    const body = paystackBody();
    const down = await postPaystack(app, body);
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toMatch(/problem\+json/);
    expect(signals).toHaveLength(0);
    temporalUp = true;
    const again = await postPaystack(app, body);
    expect(again.status).toBe(200);
    expect(signals).toHaveLength(1);
  });

  it('the same delivery twice signals once', async () => {
    const { app, signals, logs } = setup();
    const body = paystackBody();
    expect((await postPaystack(app, body)).status).toBe(200);
    const second = await postPaystack(app, body);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ received: true, duplicate: true });
    expect(signals).toHaveLength(1);
    expect(logs.some((l) => l.msg === 'webhook duplicate skipped')).toBe(true);
  });

  it('Razorpay: identity is the signed body, so a replay under a new (unsigned) x-razorpay-event-id signals once', async () => {
    const { app, signals } = setup();
    const payload = (status: string, event = 'order.paid') =>
      JSON.stringify({ event, payload: { order: { entity: { id: 'order_1', receipt: 'sub-9-c1-a1' } }, payment: { entity: { id: 'pay_1', amount: 100, currency: 'INR', status, created_at: 1 } } } });
    const post = (body: string, eventId: string) =>
      request(app).post('/webhooks/razorpay/razorpay-test').set('content-type', 'application/json').set('x-razorpay-signature', rzpSig(body)).set('x-razorpay-event-id', eventId).send(body);
    expect((await post(payload('captured'), 'evt_A')).status).toBe(200);
    expect((await post(payload('captured'), 'evt_A')).status).toBe(200);
    expect(signals.map((s) => s.subscriptionId)).toEqual(['sub-9']);
    // The same signed body under any other event id, however long, is the same event.
    expect((await post(payload('captured'), 'evt_B')).status).toBe(200);
    expect((await post(payload('captured'), 'x'.repeat(5000))).status).toBe(200);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.event.eventId).toMatch(/^[\x21-\x7e]{1,128}$/);
    // A different event about the same order (payment.captured after order.paid) is a new event id: signalled, and
    // the workflow dedupes it by reference.
    expect((await post(payload('captured', 'payment.captured'), 'evt_B')).status).toBe(200);
    expect(signals).toHaveLength(2);
  });

  it('Flutterwave: verif-hash accepted and the event marked for verification', async () => {
    const { app, signals } = setup();
    const body = JSON.stringify({ event: 'charge.completed', data: { id: 7, tx_ref: 'sub-5-auth1', status: 'successful', amount: 100, currency: 'NGN' } });
    const res = await request(app).post('/webhooks/flutterwave/flutterwave-test').set('verif-hash', TEST_SECRETS.flutterwaveSecretHash).set('content-type', 'application/json').send(body);
    expect(res.status).toBe(200);
    expect(signals[0]).toEqual({ subscriptionId: 'sub-5', event: expect.objectContaining({ needsVerification: true, amount: { amount: 10000, currency: 'NGN' } }) });
  });

  it('200 and a log line for references that belong to no subscription and for unused event types', async () => {
    const { app, signals, logs } = setup();
    const foreign = await postPaystack(app, paystackBody('T123456789'));
    expect(foreign.status).toBe(200);
    expect(foreign.body).toEqual({ received: true, ignored: true });
    const unused = JSON.stringify({ event: 'transfer.success', data: { id: 1 } });
    expect((await postPaystack(app, unused)).status).toBe(200);
    expect(signals).toHaveLength(0);
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['webhook ignored: reference belongs to no Chargeloop subscription', 'webhook ignored']));
  });

  it('200 and a log line when the workflow does not exist (no retry loop)', async () => {
    const { app, logs } = setup(() => {
      const err = new Error('workflow not found');
      err.name = 'WorkflowNotFoundError';
      return Promise.reject(err);
    });
    expect((await postPaystack(app, paystackBody())).status).toBe(200);
    expect(logs.some((l) => l.msg === 'webhook ignored: no running workflow for this subscription')).toBe(true);
  });

  it('never logs the signature or secrets', async () => {
    const { app, logs } = setup();
    const body = paystackBody();
    await postPaystack(app, body, paystackSig(body, 'sk_test_wrong'));
    await postPaystack(app, body);
    const text = JSON.stringify(logs);
    expect(text).not.toContain(TEST_SECRETS.paystackSecretKey);
    expect(text).not.toContain(paystackSig(body));
  });
});
