import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalize } from '../../src/gateways/paystack/webhook';
import type { GatewayEvent } from '../../src/shared/gateway-events';

export interface SignedWebhook {
  subscriptionId: string;
  body: string;
  signature: string;
  /** The event the API would signal for this body (for the raw-signal baseline). */
  event: GatewayEvent;
}

const secretKey = (): string => {
  const conns = JSON.parse(readFileSync(resolve(__dirname, '../../sandbox/connections.json'), 'utf8')) as Record<string, { keys: { secretKey?: string } }>;
  return conns['paystack-sandbox']!.keys.secretKey!;
};

/**
 * Distinct, correctly signed Paystack `charge.success` webhooks for existing subscriptions: each has its own
 * transaction id (so the dedupe cache never short-cuts it) and a reference of a cycle the subscription never
 * billed, so the workflow records it as "changes nothing" and the subscription is left as it was.
 */
export function signedWebhooks(subscriptionIds: readonly string[], count: number, firstId: number): SignedWebhook[] {
  const key = secretKey();
  return Array.from({ length: count }, (_, i) => {
    const subscriptionId = subscriptionIds[i % subscriptionIds.length]!;
    const payload = {
      event: 'charge.success',
      data: { id: firstId + i, reference: `${subscriptionId}-c900-a${i + 1}`, status: 'success', amount: 500_000, currency: 'NGN', paid_at: new Date().toISOString() },
    };
    const body = JSON.stringify(payload);
    const event = normalize(payload).events[0];
    if (!event) throw new Error('bench webhook did not normalize to an event');
    return { subscriptionId, body, signature: createHmac('sha512', key).update(body).digest('hex'), event };
  });
}
