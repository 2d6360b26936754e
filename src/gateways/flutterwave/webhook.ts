import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { GatewayEvent } from '../../shared/gateway-events';
import { CurrencySchema, fromMajorUnits } from '../../shared/money';
import type { GatewayConnection } from '../connections';
import { hmacBase64, headerValue, safeEqual } from '../signatures';
import type { NormalizedWebhook, WebhookAdapter } from '../webhook-types';

/**
 * v3 sends the secret hash itself in `verif-hash`. v4's `flutterwave-signature` is documented both as
 * base64(HMAC-SHA256(raw, hash)) and as the hash itself, so both are accepted. `verif-hash` does not sign the
 * body: charge events are marked needsVerification and confirmed through the verify API before they count.
 */
export function verify(rawBody: Buffer, headers: IncomingHttpHeaders, connection: GatewayConnection): boolean {
  if (connection.gateway !== 'flutterwave') return false;
  const hash = connection.keys.webhookSecretHash;
  const verifHash = headerValue(headers, 'verif-hash');
  if (verifHash !== undefined && safeEqual(hash, verifHash)) return true;
  const signature = headerValue(headers, 'flutterwave-signature');
  if (signature === undefined) return false;
  const hmacOk = safeEqual(hmacBase64('sha256', hash, rawBody), signature);
  const plainOk = safeEqual(hash, signature);
  return hmacOk || plainOk;
}

const V3Schema = z.object({
  event: z.string(),
  data: z.object({
    id: z.union([z.number(), z.string()]).transform(String),
    tx_ref: z.string().optional(),
    status: z.string(),
    amount: z.union([z.number(), z.string()]).optional(),
    currency: CurrencySchema.optional(),
    processor_response: z.string().nullish(),
    created_at: z.string().nullish(),
  }),
});
const V4Schema = z.object({
  id: z.string(),
  type: z.string(),
  data: z.object({
    id: z.string(),
    reference: z.string(),
    status: z.string(),
    amount: z.union([z.number(), z.string()]).optional(),
    currency: CurrencySchema.optional(),
  }),
});

interface Charge {
  eventId: string;
  transactionId: string;
  reference: string;
  status: 'succeeded' | 'failed' | 'other';
  amount?: number | string;
  currency?: z.infer<typeof CurrencySchema>;
  reason?: string | null;
  at?: string | null;
}

function toEvent(c: Charge): GatewayEvent | undefined {
  const base = { eventId: c.eventId, gateway: 'flutterwave' as const, reference: c.reference, needsVerification: true };
  if (c.status === 'failed') return { ...base, type: 'charge.failed', reason: c.reason ?? 'charge failed' };
  if (c.status !== 'succeeded' || c.amount === undefined || !c.currency) return undefined;
  return {
    ...base,
    type: 'charge.succeeded',
    gatewayTransactionId: c.transactionId,
    // Major units in the payload; minor units inside Chargeloop.
    amount: { amount: fromMajorUnits(c.amount, c.currency), currency: c.currency },
    paidAt: c.at ?? new Date().toISOString(),
  };
}

function parseCharge(payload: unknown): { kind: string; dedupeKey: string; charge?: Charge } | undefined {
  const v3 = V3Schema.safeParse(payload);
  if (v3.success) {
    const d = v3.data.data;
    const dedupeKey = `flutterwave:${d.id}:${d.status}`;
    const status = d.status === 'successful' ? 'succeeded' : d.status === 'failed' ? 'failed' : 'other';
    if (v3.data.event !== 'charge.completed' || !d.tx_ref) return { kind: v3.data.event, dedupeKey };
    return { kind: v3.data.event, dedupeKey, charge: { eventId: dedupeKey, transactionId: d.id, reference: d.tx_ref, status, amount: d.amount, currency: d.currency, reason: d.processor_response, at: d.created_at } };
  }
  const v4 = V4Schema.safeParse(payload);
  if (v4.success) {
    const d = v4.data.data;
    const dedupeKey = `flutterwave:${v4.data.id}`;
    const status = d.status === 'succeeded' ? 'succeeded' : d.status === 'failed' ? 'failed' : 'other';
    if (v4.data.type !== 'charge.completed') return { kind: v4.data.type, dedupeKey };
    return { kind: v4.data.type, dedupeKey, charge: { eventId: dedupeKey, transactionId: d.id, reference: d.reference, status, amount: d.amount, currency: d.currency } };
  }
  return undefined;
}

export function normalize(payload: unknown): NormalizedWebhook {
  const parsed = parseCharge(payload);
  if (!parsed) return { dedupeKey: 'flutterwave:unparseable', events: [], ignoredReason: 'not a Flutterwave event envelope' };
  if (!parsed.charge) return { dedupeKey: parsed.dedupeKey, events: [], ignoredReason: `event type ${parsed.kind} is not used by Chargeloop` };
  const event = toEvent(parsed.charge);
  return event
    ? { dedupeKey: parsed.dedupeKey, events: [event] }
    : { dedupeKey: parsed.dedupeKey, events: [], ignoredReason: `charge status ${parsed.charge.status} needs no action` };
}

export const flutterwaveWebhook: WebhookAdapter = { verify, normalize };
