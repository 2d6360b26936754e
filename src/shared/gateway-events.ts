import { z } from 'zod';
import { MoneySchema } from './money';
import { GatewaySchema } from './schemas';
import { StoredCardSchema } from './gateway-port';

/**
 * A gateway webhook normalized to what the subscription workflow understands. The webhook route verifies the
 * signature, maps the payload to one of these and signals the workflow; duplicates are ignored by `eventId`
 * and by the charge reference, so at-least-once delivery changes a subscription at most once.
 */
export const GatewayEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('charge.succeeded'),
    eventId: z.string(),
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
    eventId: z.string(),
    gateway: GatewaySchema,
    reference: z.string(),
    reason: z.string(),
    needsVerification: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('refund.processed'),
    eventId: z.string(),
    gateway: GatewaySchema,
    reference: z.string(),
    chargeReference: z.string().optional(),
    amount: MoneySchema,
  }),
  z.object({
    type: z.literal('refund.failed'),
    eventId: z.string(),
    gateway: GatewaySchema,
    reference: z.string(),
    chargeReference: z.string().optional(),
    reason: z.string(),
  }),
]);
export type GatewayEvent = z.infer<typeof GatewayEventSchema>;
