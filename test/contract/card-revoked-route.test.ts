import express from 'express';
import request from 'supertest';
import { createWebhooksRouter } from '../../src/api/routes/webhooks';
import type { RouteLogger } from '../../src/api/routes/route-logger';
import { razorpayWebhook } from '../../src/gateways/razorpay/webhook';
import { PaymentSchema, storedCard } from '../../src/gateways/razorpay/wire';
import type { GatewayEvent } from '../../src/shared/gateway-events';
import { testConnections } from '../helpers/gateway-connections';
import { fixture } from './support/corpus';

// The documented token.cancelled webhook, signed as Razorpay signs it, through the real route: the route finds the
// subscriptions holding the card by the key the Razorpay wire put on the stored card (the CardLookupKey search
// attribute the workflow publishes), and signals each of them. The Temporal facade is a recording stand-in.
const connection = testConnections().get('razorpay-test')!;
const TOKEN = 'token_DEXFX1AEkFlO6h';

function setup(findByCardKey: (key: string) => Promise<string[]>) {
  const signals: { subscriptionId: string; event: GatewayEvent }[] = [];
  const lookups: string[] = [];
  const logs: string[] = [];
  const rec = (obj: Record<string, unknown>, msg: string) => void logs.push(`${msg} ${JSON.stringify(obj)}`);
  const logger: RouteLogger = { info: rec, warn: rec, error: rec };
  const app = express();
  app.use(
    createWebhooksRouter({
      connections: testConnections(),
      logger,
      subscriptions: {
        signal: (subscriptionId, event) => Promise.resolve(void signals.push({ subscriptionId, event })),
        findByCardKey: (key) => {
          lookups.push(key);
          return findByCardKey(key);
        },
      },
    }),
  );
  return { app, signals, lookups, logs };
}

const post = (app: express.Express, name: string) => {
  const body = JSON.stringify(fixture('razorpay', name).body);
  return request(app).post('/webhooks/razorpay/razorpay-test').set('content-type', 'application/json').set(razorpayWebhook.sign(body, connection)).send(body);
};

/** The key on the card the wire builds from the documented payment that stored this token. */
const storedKey = () => {
  const payment = PaymentSchema.parse((fixture('razorpay', 'order-payments-captured').response!.body as { items: unknown[] }).items[0]);
  return storedCard(payment)!.lookupKey!;
};

describe('card.revoked through the webhook route', () => {
  it('token.cancelled is routed to every subscription holding the card, found by its lookup key', async () => {
    const { app, signals, lookups, logs } = setup(() => Promise.resolve(['sub-a', 'sub-b']));
    const res = await post(app, 'webhook-token-cancelled');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(lookups).toEqual([storedKey()]);
    expect(signals.map((s) => s.subscriptionId)).toEqual(['sub-a', 'sub-b']);
    expect(signals[0]!.event).toMatchObject({ type: 'card.revoked', token: TOKEN, reason: 'token.cancelled' });
    // The token is the card's credential: neither logged nor used as the event's id.
    expect(signals[0]!.event.eventId).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('no subscription holds the card: 200, ignored, and nothing logged names the token', async () => {
    const { app, signals, logs } = setup(() => Promise.resolve([]));
    const res = await post(app, 'webhook-token-cancelled');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, ignored: true });
    expect(signals).toEqual([]);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('the lookup failing (Temporal down) is a 503, so Razorpay delivers again', async () => {
    const { app, signals } = setup(() => Promise.reject(new Error('deadline exceeded')));
    const res = await post(app, 'webhook-token-cancelled');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(signals).toEqual([]);
  });
});
