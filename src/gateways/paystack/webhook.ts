import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayEvent } from '../../shared/gateway-events';
import type { GatewayConnection } from '../connections';
import { signedIdentity } from '../identity';
import { anyMatches, hmacHex, headerValue, toBuffer } from '../signatures';
import type { NormalizedWebhook, WebhookAdapter } from '../webhook-types';
import { ChargeEventDataSchema, RefundEventDataSchema, WebhookEnvelopeSchema, storedCard } from './wire';

const secretsOf = (c: GatewayConnection): string[] =>
  c.gateway === 'paystack' ? [c.keys.secretKey, c.keys.previousSecretKey].filter((s): s is string => !!s) : [];

/**
 * x-paystack-signature = hex HMAC-SHA512 of the raw body, keyed with the API secret key (no separate webhook
 * secret; https://paystack.com/docs/payments/webhooks/). The previous key still counts while keys are rolled.
 */
export function verify(rawBody: Buffer, headers: IncomingHttpHeaders, connection: GatewayConnection): boolean {
  const signature = headerValue(headers, 'x-paystack-signature');
  if (!signature) return false;
  return anyMatches(secretsOf(connection).map((key) => hmacHex('sha512', key, rawBody)), signature.toLowerCase());
}

export function sign(rawBody: Buffer | string, connection: GatewayConnection): Record<string, string> {
  if (connection.gateway !== 'paystack') throw new TypeError(`not a Paystack connection: ${connection.id}`);
  return { 'x-paystack-signature': hmacHex('sha512', connection.keys.secretKey, toBuffer(rawBody)) };
}

function chargeEvent(data: ReturnType<typeof ChargeEventDataSchema.parse>, eventId: string): GatewayEvent {
  const card = storedCard(data);
  return {
    type: 'charge.succeeded',
    eventId,
    gateway: 'paystack',
    reference: data.reference,
    gatewayTransactionId: data.id,
    amount: { amount: data.amount, currency: data.currency },
    paidAt: data.paid_at ?? new Date().toISOString(),
    ...(card ? { card } : {}),
    needsVerification: false,
  };
}

/**
 * A refund event names the charge and the amount only. `reference` carries Paystack's refund_reference (or '' when
 * null); the workflow settles the oldest pending refund of that charge with that amount.
 */
function refundEvent(event: 'refund.processed' | 'refund.failed', data: ReturnType<typeof RefundEventDataSchema.parse>, eventId: string): GatewayEvent {
  const amount = { amount: data.amount, currency: data.currency };
  const base = { eventId, gateway: 'paystack' as const, reference: data.refund_reference ?? '', chargeReference: data.transaction_reference };
  return event === 'refund.processed' ? { ...base, type: 'refund.processed', amount } : { ...base, type: 'refund.failed', reason: `refund ${data.status}`, amount };
}

/** Paystack sends no webhook for failed charges; only successes and settled refunds matter here. */
export function normalize(payload: unknown): NormalizedWebhook {
  const envelope = WebhookEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return { dedupeKey: 'paystack:unparseable', events: [], ignoredReason: 'not a Paystack event envelope' };
  const { event, data } = envelope.data;
  const scalar = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const idPart = scalar(data.id) || scalar(data.reference) || `${scalar(data.transaction_reference)}:${scalar(data.refund_reference)}:${scalar(data.amount)}`;
  const dedupeKey = signedIdentity('paystack', event, idPart, scalar(data.status));
  if (event === 'charge.success') {
    const charge = ChargeEventDataSchema.safeParse(data);
    if (!charge.success) return { dedupeKey, events: [], ignoredReason: 'charge.success with an unexpected shape' };
    return { dedupeKey, events: [chargeEvent(charge.data, signedIdentity('paystack', event, charge.data.id))] };
  }
  if (event === 'refund.processed' || event === 'refund.failed') {
    const refund = RefundEventDataSchema.safeParse(data);
    if (!refund.success) return { dedupeKey, events: [], ignoredReason: `${event} with an unexpected shape` };
    return { dedupeKey, events: [refundEvent(event, refund.data, dedupeKey)] };
  }
  return { dedupeKey, events: [], ignoredReason: `event type ${event} is not used by Chargeloop` };
}

export const paystackWebhook: WebhookAdapter = { verify, normalize, sign };
