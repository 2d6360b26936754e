import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { GatewayEvent } from '../../shared/gateway-events';
import { CurrencySchema } from '../../shared/money';
import type { GatewayConnection } from '../connections';
import { hmacHex, headerValue, safeEqual } from '../signatures';
import type { NormalizedWebhook, WebhookAdapter } from '../webhook-types';

/** X-Razorpay-Signature = hex HMAC-SHA256 of the raw body with the webhook secret; the previous one still counts during rotation. */
export function verify(rawBody: Buffer, headers: IncomingHttpHeaders, connection: GatewayConnection): boolean {
  if (connection.gateway !== 'razorpay') return false;
  const signature = headerValue(headers, 'x-razorpay-signature');
  if (!signature) return false;
  const secrets = [connection.keys.webhookSecret, connection.keys.previousWebhookSecret].filter((s): s is string => !!s);
  // Check every secret (no early exit) so timing does not reveal which one matched.
  return secrets.map((secret) => safeEqual(hmacHex('sha256', secret, rawBody), signature)).some(Boolean);
}

const Notes = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullish();
const ref = (notes: z.infer<typeof Notes>): string | undefined => {
  const value = notes && !Array.isArray(notes) ? notes.chargeloop_reference : undefined;
  return typeof value === 'string' ? value : undefined;
};
const PaymentSchema = z.object({
  id: z.string(),
  amount: z.number().int(),
  currency: CurrencySchema,
  status: z.string(),
  customer_id: z.string().nullish(),
  token_id: z.string().nullish(),
  created_at: z.number().optional(),
  error_description: z.string().nullish(),
  error_reason: z.string().nullish(),
  notes: Notes,
  card: z.object({ last4: z.string(), network: z.string() }).partial().nullish(),
});
const EnvelopeSchema = z.object({
  event: z.string(),
  payload: z.object({
    payment: z.object({ entity: PaymentSchema }).optional(),
    order: z.object({ entity: z.object({ id: z.string(), receipt: z.string().nullish(), notes: Notes }) }).optional(),
    invoice: z.object({ entity: z.object({ id: z.string(), receipt: z.string().nullish() }) }).optional(),
    refund: z.object({ entity: z.object({ id: z.string(), amount: z.number().int(), currency: CurrencySchema, receipt: z.string().nullish(), notes: Notes, status: z.string() }) }).optional(),
  }),
});
type Envelope = z.infer<typeof EnvelopeSchema>;

function chargeReferenceOf(e: Envelope): string | undefined {
  // The order's receipt is the reference Chargeloop chose; payments carry it in notes.
  return e.payload.order?.entity.receipt ?? e.payload.invoice?.entity.receipt ?? ref(e.payload.order?.entity.notes) ?? ref(e.payload.payment?.entity.notes) ?? undefined;
}

function toEvents(e: Envelope, eventId: string): GatewayEvent[] {
  const payment = e.payload.payment?.entity;
  const reference = chargeReferenceOf(e);
  switch (e.event) {
    case 'order.paid':
    case 'invoice.paid':
    case 'payment.captured': {
      if (!payment || !reference || payment.status !== 'captured') return [];
      return [
        {
          type: 'charge.succeeded',
          eventId,
          gateway: 'razorpay',
          reference,
          gatewayTransactionId: payment.id,
          amount: { amount: payment.amount, currency: payment.currency },
          paidAt: new Date((payment.created_at ?? 0) * 1000).toISOString(),
          card: payment.token_id
            ? { token: payment.token_id, gatewayCustomerId: payment.customer_id ?? undefined, last4: payment.card?.last4, brand: payment.card?.network, reusable: true }
            : undefined,
          needsVerification: false,
        },
      ];
    }
    case 'payment.failed':
      if (!payment || !reference) return [];
      return [{ type: 'charge.failed', eventId, gateway: 'razorpay', reference, reason: payment.error_description ?? payment.error_reason ?? 'payment failed', needsVerification: false }];
    case 'refund.processed':
    case 'refund.failed': {
      const refund = e.payload.refund?.entity;
      const refundRef = refund && (refund.receipt ?? ref(refund.notes));
      if (!refund || !refundRef) return [];
      const chargeRef = ref(payment?.notes) ?? (refund.notes && !Array.isArray(refund.notes) && typeof refund.notes.charge_reference === 'string' ? refund.notes.charge_reference : undefined);
      const base = { eventId, gateway: 'razorpay' as const, reference: refundRef, chargeReference: chargeRef };
      return e.event === 'refund.processed'
        ? [{ ...base, type: 'refund.processed', amount: { amount: refund.amount, currency: refund.currency } }]
        : [{ ...base, type: 'refund.failed', reason: refund.status }];
    }
    default:
      return [];
  }
}

/** Razorpay names each event in `x-razorpay-event-id`, the same on every delivery: the dedupe key. */
export function normalize(payload: unknown, headers: IncomingHttpHeaders = {}): NormalizedWebhook {
  const parsed = EnvelopeSchema.safeParse(payload);
  const headerId = headerValue(headers, 'x-razorpay-event-id');
  if (!parsed.success) return { dedupeKey: `razorpay:${headerId ?? 'unparseable'}`, events: [], ignoredReason: 'not a Razorpay event envelope' };
  const eventId = `razorpay:${headerId ?? `${parsed.data.event}:${parsed.data.payload.payment?.entity.id ?? parsed.data.payload.refund?.entity.id ?? ''}`}`;
  const events = toEvents(parsed.data, eventId);
  return events.length > 0 ? { dedupeKey: eventId, events } : { dedupeKey: eventId, events, ignoredReason: `event ${parsed.data.event} needs no action` };
}

export const razorpayWebhook: WebhookAdapter = { verify, normalize };
