import { createHmac } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { createWebhooksRouter, MAX_EVENT_ID_LENGTH } from '../../src/api/routes/webhooks';
import type { RouteLogger } from '../../src/api/routes/route-logger';
import type { GatewayEvent } from '../../src/shared/gateway-events';
import { TEST_SECRETS, testConnections } from '../helpers/gateway-connections';

type Signal = { subscriptionId: string; event: GatewayEvent };
const quiet: RouteLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function setup() {
  const signals: Signal[] = [];
  const app = express().use(
    createWebhooksRouter({ connections: testConnections(), logger: quiet, subscriptions: { signal: (subscriptionId, event) => Promise.resolve(void signals.push({ subscriptionId, event })) } }),
  );
  return { app, signals };
}

const rzpSig = (body: string) => createHmac('sha256', TEST_SECRETS.razorpayWebhookSecret).update(body).digest('hex');
const paystackSig = (body: string) => createHmac('sha512', TEST_SECRETS.paystackSecretKey).update(body).digest('hex');
const razorpayPaid = JSON.stringify({
  event: 'order.paid',
  payload: { order: { entity: { id: 'order_9', receipt: 'sub-att-c1-a1' } }, payment: { entity: { id: 'pay_9', amount: 49900, currency: 'INR', status: 'captured', created_at: 1 } } },
});
const postRazorpay = (app: express.Express, body: string, eventId: string) =>
  request(app).post('/webhooks/razorpay/razorpay-test').set('content-type', 'application/json').set('x-razorpay-signature', rzpSig(body)).set('x-razorpay-event-id', eventId).send(body);
const postFlutterwave = (app: express.Express, body: string) =>
  request(app).post('/webhooks/flutterwave/flutterwave-test').set('content-type', 'application/json').set('verif-hash', TEST_SECRETS.flutterwaveSecretHash).send(body);
const flwCharge = (id: number, txRef: string, amount = 100) => JSON.stringify({ event: 'charge.completed', data: { id, tx_ref: txRef, status: 'successful', amount, currency: 'NGN' } });

describe('webhook attacks with one captured signed delivery', () => {
  it('replaying one signed Razorpay body under 50 new x-razorpay-event-id values signals it at most once', async () => {
    const { app, signals } = setup();
    for (let i = 0; i < 50; i++) expect((await postRazorpay(app, razorpayPaid, `evt_forged_${i}`)).status).toBe(200);
    expect(signals.length).toBeLessThanOrEqual(1);
  });

  it('an unsigned, unbounded event id never reaches a workflow', async () => {
    const { app, signals } = setup();
    const body = razorpayPaid.replace('pay_9', 'pay_10');
    expect((await postRazorpay(app, body, `evt_${'x'.repeat(8000)}`)).status).toBe(200);
    for (const s of signals) {
      expect(s.event.eventId.length).toBeLessThanOrEqual(MAX_EVENT_ID_LENGTH);
      expect(s.event.eventId).toMatch(/^[\x21-\x7e]+$/);
    }
  });

  it('forged sequential Flutterwave ids cannot make the next real payment a duplicate', async () => {
    const { app, signals } = setup();
    // verif-hash does not sign the body: anyone who saw it once can send any body. The forger guesses id 1001.
    expect((await postFlutterwave(app, flwCharge(1001, 'T-not-ours'))).status).toBe(200); // foreign reference: ignored
    expect((await postFlutterwave(app, flwCharge(1002, 'sub-flw-auth1', 1))).status).toBe(200); // a real subscription, forged amount
    expect(signals).toHaveLength(1); // signalled for the workflow to verify (needsVerification)
    const real1 = await postFlutterwave(app, flwCharge(1001, 'sub-real-auth1'));
    const real2 = await postFlutterwave(app, flwCharge(1002, 'sub-flw-auth1', 100));
    expect(real1.body).toEqual({ received: true });
    expect(real2.body).toEqual({ received: true });
    expect(signals.map((s) => s.subscriptionId)).toEqual(['sub-flw', 'sub-real', 'sub-flw']);
  });

  it('an ignored event is not remembered: its redelivery once the subscription exists is signalled', async () => {
    let workflowExists = false;
    const signals: Signal[] = [];
    const app = express().use(
      createWebhooksRouter({
        connections: testConnections(),
        logger: quiet,
        subscriptions: {
          signal: (subscriptionId, event) => {
            if (!workflowExists) return Promise.reject(Object.assign(new Error('not found'), { name: 'WorkflowNotFoundError' }));
            signals.push({ subscriptionId, event });
            return Promise.resolve();
          },
        },
      }),
    );
    const body = JSON.stringify({ event: 'charge.success', data: { id: 77, status: 'success', reference: 'sub-late-c1-a1', amount: 5000, currency: 'NGN', paid_at: '2026-11-21T06:00:00Z' } });
    const post = () => request(app).post('/webhooks/paystack/paystack-test').set('content-type', 'application/json').set('x-paystack-signature', paystackSig(body)).send(body);
    expect((await post()).body).toEqual({ received: true, ignored: true });
    workflowExists = true;
    expect((await post()).body).toEqual({ received: true });
    expect(signals).toHaveLength(1);
  });
});

/** A small deterministic PRNG (mulberry32), so a failing fuzz case can be re-run exactly. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  JSON.stringify({ event: 'charge.success', data: { id: 1, status: 'success', reference: 'sub-fz-c1-a1', amount: 5000, currency: 'NGN', paid_at: '2026-01-01T00:00:00Z', authorization: { authorization_code: 'AUTH_x', reusable: true } } }),
  JSON.stringify({ event: 'refund.processed', data: { id: 2, status: 'processed', transaction_reference: 'sub-fz-c1-a1', amount: 5000, currency: 'NGN' } }),
  razorpayPaid,
  flwCharge(3, 'sub-fz-auth1'),
];

function mutate(body: string, next: () => number): string {
  const chars = [...body];
  const op = Math.floor(next() * 6);
  const at = Math.floor(next() * chars.length);
  const junk = ['"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', '\ud800', '9'.repeat(400), '-1e309', 'null', 'x'.repeat(300), '"sub-fz-c1-a1"'];
  const pick = junk[Math.floor(next() * junk.length)]!;
  if (op === 0) chars.splice(at, 1);
  else if (op === 1) chars.splice(at, 0, pick);
  else if (op === 2) chars.splice(at, Math.floor(next() * 20), pick);
  else if (op === 3) return body.slice(0, at);
  else if (op === 4) return body.replace(/\d+/, String(Math.floor(next() * 1e12)));
  else return body.replace(/"[a-z_]+":/, `"${'k'.repeat(Math.floor(next() * 50))}":`);
  return chars.join('');
}

describe('bounded webhook fuzzer', () => {
  const ITERATIONS = 300; // per run: bounded in count (and so in time, ~seconds)

  it('mutated bodies, signed and unsigned, never get a 5xx; unsigned input never signals', async () => {
    const next = rng(20261201);
    const { app, signals } = setup();
    const endpoints = [
      { path: '/webhooks/paystack/paystack-test', header: 'x-paystack-signature', sign: paystackSig },
      { path: '/webhooks/razorpay/razorpay-test', header: 'x-razorpay-signature', sign: rzpSig },
    ];
    let unsignedSignals = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const body = mutate(SEEDS[Math.floor(next() * SEEDS.length)]!, next);
      const endpoint = endpoints[Math.floor(next() * endpoints.length)]!;
      const signed = next() < 0.5;
      const before = signals.length;
      let req = request(app).post(endpoint.path).set('content-type', 'application/json').set('x-razorpay-event-id', `evt_${i}`);
      if (signed) req = req.set(endpoint.header, endpoint.sign(body));
      else if (next() < 0.5) req = req.set(endpoint.header, 'ab'.repeat(64));
      const res = await req.send(body);
      expect(res.status).toBeLessThan(500);
      if (!signed) {
        expect(res.status).toBe(401);
        unsignedSignals += signals.length - before;
      }
    }
    expect(unsignedSignals).toBe(0);
    // The fuzzer reached the signalling path too, or it proved nothing about it.
    expect(signals.length).toBeGreaterThan(0);
    for (const s of signals) expect(s.event.eventId.length).toBeLessThanOrEqual(MAX_EVENT_ID_LENGTH);
  });
});
