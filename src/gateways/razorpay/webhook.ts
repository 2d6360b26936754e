import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayEvent } from '../../shared/gateway-events';
import type { GatewayConnection } from '../connections';
import { cardLookupKey } from '../card-key';
import { signedIdentity } from '../identity';
import { anyMatches, hmacHex, headerValue, toBuffer } from '../signatures';
import type { NormalizedWebhook, WebhookAdapter } from '../webhook-types';
import { WebhookEnvelopeSchema, noteOf, storedCard, type RazorpayWebhook } from './wire';

const secretsOf = (c: GatewayConnection): string[] =>
  c.gateway === 'razorpay' ? [c.keys.webhookSecret, c.keys.previousWebhookSecret].filter((s): s is string => !!s) : [];

/** X-Razorpay-Signature = hex HMAC-SHA256 of the raw body with the webhook secret; the previous one still counts during rotation. */
export function verify(rawBody: Buffer, headers: IncomingHttpHeaders, connection: GatewayConnection): boolean {
  const signature = headerValue(headers, 'x-razorpay-signature');
  if (!signature) return false;
  return anyMatches(secretsOf(connection).map((secret) => hmacHex('sha256', secret, rawBody)), signature);
}

/**
 * The signature header as Razorpay sends it. Razorpay also sends `x-razorpay-event-id`, which the signature does
 * not cover: it is never used for identity, so it is not produced here.
 */
export function sign(rawBody: Buffer | string, connection: GatewayConnection): Record<string, string> {
  if (connection.gateway !== 'razorpay') throw new TypeError(`not a Razorpay connection: ${connection.id}`);
  return { 'x-razorpay-signature': hmacHex('sha256', connection.keys.webhookSecret, toBuffer(rawBody)) };
}

function chargeReferenceOf(e: RazorpayWebhook): string | undefined {
  // The order's receipt is the reference Chargeloop chose; payments carry it in notes.
  const p = e.payload;
  return p.order?.entity.receipt ?? p.invoice?.entity.receipt ?? noteOf(p.order?.entity.notes, 'chargeloop_reference') ?? noteOf(p.payment?.entity.notes, 'chargeloop_reference') ?? undefined;
}

/** The signed entity an event is about, and its status: the event's identity. */
function identityOf(e: RazorpayWebhook): string {
  const p = e.payload;
  const entity = p.refund?.entity ?? p.token?.entity ?? p.payment?.entity ?? p.order?.entity ?? p.invoice?.entity;
  const status = p.refund?.entity.status ?? p.token?.entity.recurring_details?.status ?? p.payment?.entity.status ?? '';
  // A token id is the stored card's credential: event ids are logged and kept in workflow state, so use its digest.
  const id = p.token && !p.refund ? cardLookupKey('razorpay', p.token.entity.id) : entity?.id;
  return signedIdentity('razorpay', e.event, id, status);
}

const TOKEN_REVOKED = new Set(['token.cancelled', 'token.paused', 'token.rejected']);

function toEvents(e: RazorpayWebhook, eventId: string): GatewayEvent[] {
  const payment = e.payload.payment?.entity;
  const reference = chargeReferenceOf(e);
  switch (e.event) {
    case 'order.paid':
    case 'invoice.paid':
    case 'payment.captured': {
      if (!payment || !reference || payment.status !== 'captured') return [];
      const card = storedCard(payment);
      return [
        {
          type: 'charge.succeeded',
          eventId,
          gateway: 'razorpay',
          reference,
          gatewayTransactionId: payment.id,
          amount: { amount: payment.amount, currency: payment.currency },
          paidAt: new Date((payment.created_at ?? 0) * 1000).toISOString(),
          ...(card ? { card } : {}),
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
      const refundRef = refund && (refund.receipt ?? noteOf(refund.notes, 'chargeloop_reference'));
      if (!refund || !refundRef) return [];
      const chargeRef = noteOf(payment?.notes, 'chargeloop_reference') ?? noteOf(refund.notes, 'charge_reference');
      const amount = { amount: refund.amount, currency: refund.currency };
      const base = { eventId, gateway: 'razorpay' as const, reference: refundRef, chargeReference: chargeRef };
      return e.event === 'refund.processed' ? [{ ...base, type: 'refund.processed', amount }] : [{ ...base, type: 'refund.failed', reason: `refund ${refund.status}`, amount }];
    }
    default: {
      const token = e.payload.token?.entity;
      if (!TOKEN_REVOKED.has(e.event) || !token) return [];
      // The reference is the card's lookup key (what the route finds the subscription by), never the token itself.
      const reference = cardLookupKey('razorpay', token.id);
      return [{ type: 'card.revoked', eventId, gateway: 'razorpay', reference, token: token.id, ...(token.customer_id ? { gatewayCustomerId: token.customer_id } : {}), reason: e.event }];
    }
  }
}

/**
 * Identity comes from the signed body only (event, entity id, status): `x-razorpay-event-id` is outside the
 * signature, so a replayed body under new ids is still the same event.
 */
export function normalize(payload: unknown, _headers?: IncomingHttpHeaders): NormalizedWebhook {
  const parsed = WebhookEnvelopeSchema.safeParse(payload);
  if (!parsed.success) return { dedupeKey: 'razorpay:unparseable', events: [], ignoredReason: 'not a Razorpay event envelope' };
  const eventId = identityOf(parsed.data);
  const events = toEvents(parsed.data, eventId);
  return events.length > 0 ? { dedupeKey: eventId, events } : { dedupeKey: eventId, events, ignoredReason: `event ${parsed.data.event} needs no action` };
}

export const razorpayWebhook: WebhookAdapter = { verify, normalize, sign };
