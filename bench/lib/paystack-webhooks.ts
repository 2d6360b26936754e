import { resolve } from 'node:path';
import { loadConnections, type GatewayConnection } from '../../src/gateways/connections';
import { normalize, sign } from '../../src/gateways/paystack/webhook';
import type { GatewayEvent } from '../../src/shared/gateway-events';

export interface SignedWebhook {
  subscriptionId: string;
  body: string;
  signature: string;
  /** The event the API would signal for this body (for the raw-signal baseline). */
  event: GatewayEvent;
}

const sandboxPaystack = (): GatewayConnection => {
  const connection = loadConnections({ GATEWAY_CONNECTIONS_FILE: resolve(__dirname, '../../sandbox/connections.json') }).get('paystack-sandbox');
  if (!connection) throw new Error('sandbox/connections.json has no paystack-sandbox');
  return connection;
};

/**
 * Distinct, correctly signed Paystack `charge.success` webhooks for existing subscriptions: each has its own
 * transaction id (so the dedupe cache never short-cuts it) and a reference of a cycle the subscription never
 * billed, so the workflow records it as "changes nothing" and the subscription is left as it was.
 */
export function signedWebhooks(subscriptionIds: readonly string[], count: number, firstId: number): SignedWebhook[] {
  const connection = sandboxPaystack();
  return Array.from({ length: count }, (_, i) => {
    const subscriptionId = subscriptionIds[i % subscriptionIds.length]!;
    const payload = {
      event: 'charge.success',
      data: { id: firstId + i, reference: `${subscriptionId}-c900-a${i + 1}`, status: 'success', amount: 500_000, currency: 'NGN', paid_at: new Date().toISOString() },
    };
    const body = JSON.stringify(payload);
    const event = normalize(payload).events[0];
    if (!event) throw new Error('bench webhook did not normalize to an event');
    return { subscriptionId, body, signature: sign(body, connection)['x-paystack-signature']!, event };
  });
}
