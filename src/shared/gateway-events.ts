import { z } from 'zod';
import { MoneySchema } from './money';
import { GatewaySchema } from './schemas';
import { StoredCardSchema } from './gateway-port';
import { shareable } from './shareable-schema';

/** Every eventId is derived from the signed body only (never an unsigned header), ASCII, at most 128 characters. */
const EventIdSchema = z.string().min(1).max(128);

/**
 * A gateway webhook normalized to what the subscription workflow understands. The webhook route verifies the
 * signature, maps the payload to one of these and signals the workflow; duplicates are ignored by `eventId`
 * and by the charge reference, so at-least-once delivery changes a subscription at most once.
 */
export const GatewayEventSchema = shareable(z.discriminatedUnion('type', [
  z.object({
    type: z.literal('charge.succeeded'),
    eventId: EventIdSchema,
    gateway: GatewaySchema,
    reference: z.string(),
    gatewayTransactionId: z.string(),
    amount: MoneySchema,
    paidAt: z.string(),
    card: StoredCardSchema.optional(),
    /** Flutterwave's verif-hash does not sign the body, so its events must be confirmed by the verify API. */
    needsVerification: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('charge.failed'),
    eventId: EventIdSchema,
    gateway: GatewaySchema,
    reference: z.string(),
    reason: z.string(),
    needsVerification: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('refund.processed'),
    eventId: EventIdSchema,
    gateway: GatewaySchema,
    reference: z.string(),
    chargeReference: z.string().optional(),
    amount: MoneySchema,
  }),
  z.object({
    type: z.literal('refund.failed'),
    eventId: EventIdSchema,
    gateway: GatewaySchema,
    reference: z.string(),
    chargeReference: z.string().optional(),
    reason: z.string(),
    /** Paystack's refund events name only the charge and the amount: the refund is found by (charge, amount). */
    amount: MoneySchema.optional(),
  }),
  /**
   * The customer (or their bank) revoked the stored card's mandate: Razorpay `token.cancelled`, `token.paused`,
   * `token.rejected`. Charging that token again cannot succeed; the subscription needs a new card.
   */
  z.object({
    type: z.literal('card.revoked'),
    eventId: EventIdSchema,
    gateway: GatewaySchema,
    /**
     * Razorpay's token entity carries no Chargeloop reference: this is the card's lookup key (a digest of the token,
     * src/gateways/card-key.ts), by which the webhook route finds the subscriptions holding the card in visibility.
     */
    reference: z.string(),
    /** The stored card's token (Razorpay token_id). */
    token: z.string(),
    gatewayCustomerId: z.string().optional(),
    /** The gateway's event name, e.g. `token.cancelled`. */
    reason: z.string(),
  }),
]));
export type GatewayEvent = z.infer<typeof GatewayEventSchema>;

/** Every gateway event type, in the schema's order (the signal names of messages.ts are built from it). */
export const GATEWAY_EVENT_TYPES = ['charge.succeeded', 'charge.failed', 'refund.processed', 'refund.failed', 'card.revoked'] as const;
// Fails to compile when the schema gains a type this list lacks (or the other way round).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const listsEveryType: Same<(typeof GATEWAY_EVENT_TYPES)[number], GatewayEvent['type']> = true;
void listsEveryType;
