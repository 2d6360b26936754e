import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { GatewayEvent } from '../../shared/gateway-events';
import { CurrencySchema } from '../../shared/money';
import type { GatewayConnection } from '../connections';
import { hmacHex, headerValue, safeEqual } from '../signatures';
import type { NormalizedWebhook, WebhookAdapter } from '../webhook-types';
import { PaystackAuthorizationSchema } from './schemas';

/** x-paystack-signature = hex HMAC-SHA512 of the raw body, keyed with the API secret key (no separate webhook secret). */
export function verify(rawBody: Buffer, headers: IncomingHttpHeaders, connection: GatewayConnection): boolean {
  if (connection.gateway !== 'paystack') return false;
  const signature = headerValue(headers, 'x-paystack-signature');
  if (!signature) return false;
  return safeEqual(hmacHex('sha512', connection.keys.secretKey, rawBody), signature.toLowerCase());
}

const EnvelopeSchema = z.object({ event: z.string(), data: z.record(z.string(), z.unknown()) });
const ChargeSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  reference: z.string(),
  status: z.string(),
  amount: z.number().int(),
  currency: CurrencySchema,
  paid_at: z.string().nullish(),
  authorization: PaystackAuthorizationSchema.partial().nullish(),
  customer: z.object({ customer_code: z.string() }).partial().nullish(),
});
const RefundSchema = z.object({
  transaction_reference: z.string(),
  refund_reference: z.string().nullish(),
  merchant_note: z.string().nullish(),
  /** A string in refund events. */
  amount: z.union([z.number(), z.string()]).transform(Number),
  currency: CurrencySchema,
  status: z.string().optional(),
});

function chargeEvent(data: z.infer<typeof ChargeSchema>): GatewayEvent {
  const auth = data.authorization;
  return {
    type: 'charge.succeeded',
    eventId: `paystack:charge.success:${data.id}`,
    gateway: 'paystack',
    reference: data.reference,
    gatewayTransactionId: data.id,
    amount: { amount: data.amount, currency: data.currency },
    paidAt: data.paid_at ?? new Date().toISOString(),
    card: auth?.authorization_code
      ? { token: auth.authorization_code, gatewayCustomerId: data.customer?.customer_code, last4: auth.last4, brand: auth.brand, expMonth: auth.exp_month, expYear: auth.exp_year, reusable: auth.reusable ?? false }
      : undefined,
    needsVerification: false,
  };
}

function refundEvent(event: string, data: z.infer<typeof RefundSchema>): GatewayEvent {
  // Chargeloop's own refund reference rides in merchant_note (Paystack has no refund idempotency key).
  const ours = data.merchant_note?.startsWith('chargeloop:') ? data.merchant_note.slice('chargeloop:'.length) : undefined;
  const reference = ours ?? data.refund_reference ?? `${data.transaction_reference}-refund`;
  const base = { eventId: `paystack:${event}:${reference}`, gateway: 'paystack' as const, reference, chargeReference: data.transaction_reference };
  return event === 'refund.processed'
    ? { ...base, type: 'refund.processed', amount: { amount: data.amount, currency: data.currency } }
    : { ...base, type: 'refund.failed', reason: data.status ?? 'refund failed' };
}

/** Paystack sends no webhook for failed charges; only successes and refunds matter here. */
export function normalize(payload: unknown): NormalizedWebhook {
  const envelope = EnvelopeSchema.safeParse(payload);
  if (!envelope.success) return { dedupeKey: 'paystack:unparseable', events: [], ignoredReason: 'not a Paystack event envelope' };
  const { event, data } = envelope.data;
  const scalar = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const idPart = scalar(data.id) || scalar(data.reference) || scalar(data.refund_reference) || scalar(data.transaction_reference);
  const dedupeKey = `paystack:${event}:${idPart}:${scalar(data.status)}`;
  if (event === 'charge.success') {
    const charge = ChargeSchema.safeParse(data);
    if (!charge.success) return { dedupeKey, events: [], ignoredReason: `charge.success with an unexpected shape` };
    return { dedupeKey, events: [chargeEvent(charge.data)] };
  }
  if (event === 'refund.processed' || event === 'refund.failed') {
    const refund = RefundSchema.safeParse(data);
    if (!refund.success) return { dedupeKey, events: [], ignoredReason: `${event} with an unexpected shape` };
    return { dedupeKey, events: [refundEvent(event, refund.data)] };
  }
  return { dedupeKey, events: [], ignoredReason: `event type ${event} is not used by Chargeloop` };
}

export const paystackWebhook: WebhookAdapter = { verify, normalize };
