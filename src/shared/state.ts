import { z } from 'zod';
import { MoneySchema } from './money';
import { CustomerSchema, GatewaySchema, MetadataSchema, PlanSchema } from './schemas';
import { SubscriptionStatusSchema } from './status';
import { shareable } from './shareable-schema';

export const ChargeRecordSchema = shareable(z.object({
  cycle: z.number().int(),
  attempt: z.number().int(),
  reference: z.string(),
  /**
   * `authorization`: the checkout payment (the refunded minimum, or the first invoice that pays cycle 1);
   * `initial`: an attempt of cycle 1 on the stored card (0.5.0; earlier runs call it `renewal`); `renewal`: an
   * automatic attempt of a later cycle; `manual_retry`: an attempt the merchant asked for (or the first charge of an
   * open cycle on a new card); `card_update`: the refunded minimum paid at a card-update checkout (0.6.0).
   */
  kind: z.enum(['authorization', 'initial', 'renewal', 'manual_retry', 'card_update']),
  amount: MoneySchema,
  outcome: z.enum(['succeeded', 'declined', 'pending', 'unknown']),
  reason: z.string().optional(),
  gatewayTransactionId: z.string().optional(),
  at: z.string(),
}));
export type ChargeRecord = z.infer<typeof ChargeRecordSchema>;

/** Paid at a checkout (the authorization, a card update), not charged to the stored card: never pays a cycle by itself. */
export const isCheckoutCharge = (kind: ChargeRecord['kind']): boolean => kind === 'authorization' || kind === 'card_update';

/**
 * A card update (0.6.0): the checkout that authorizes a replacement card. `pending` while the customer has the link;
 * `authorized` once the new card is stored (its minimum is refunded); `expired`, `failed` (the payment could not
 * authorize a card: refunded) or `replaced` (a newer card update, or the subscription ended) otherwise.
 */
export const CardUpdateViewSchema = shareable(z.object({
  status: z.enum(['pending', 'authorized', 'expired', 'failed', 'replaced']),
  reference: z.string(),
  checkoutUrl: z.string().nullable(),
  amount: MoneySchema,
  requestedAt: z.string(),
  expiresAt: z.string(),
  reason: z.string().optional(),
}));
export type CardUpdateView = z.infer<typeof CardUpdateViewSchema>;

export const RefundRecordSchema = shareable(z.object({
  reference: z.string(),
  chargeReference: z.string(),
  amount: MoneySchema,
  status: z.enum(['pending', 'processed', 'failed']),
  reason: z.string().optional(),
  at: z.string(),
}));
export type RefundRecord = z.infer<typeof RefundRecordSchema>;

/** The public view of a subscription, returned by the state query and `GET /v1/subscriptions/{id}`. */
export const SubscriptionViewSchema = shareable(z.object({
  id: z.string(),
  status: SubscriptionStatusSchema,
  gateway: GatewaySchema,
  gatewayConnectionId: z.string(),
  customer: CustomerSchema,
  plan: PlanSchema,
  /** A plan change that applies from the next cycle. */
  pendingPlan: PlanSchema.nullable(),
  metadata: MetadataSchema,
  authorization: z.object({
    status: z.enum(['pending', 'authorized', 'expired']),
    checkoutUrl: z.string().nullable(),
    amount: MoneySchema,
    reference: z.string(),
    expiresAt: z.string(),
    refunded: z.boolean(),
  }),
  card: z.object({ last4: z.string().optional(), brand: z.string().optional() }).nullable(),
  /** The latest card update (POST /v1/subscriptions/{id}/card-update), or null when none was asked for. */
  cardUpdate: CardUpdateViewSchema.nullable(),
  /** The cycle most recently billed (0 before the first charge). */
  cycle: z.number().int(),
  billingAnchor: z.string().nullable(),
  trialEndsAt: z.string().nullable(),
  currentPeriodStart: z.string().nullable(),
  currentPeriodEnd: z.string().nullable(),
  nextChargeAt: z.string().nullable(),
  attempts: z.object({
    /** Attempts made for the current cycle's charge, the first included. */
    made: z.number().int(),
    automaticRemaining: z.number().int(),
    nextRetryAt: z.string().nullable(),
  }),
  cancelAtPeriodEnd: z.boolean(),
  canceledAt: z.string().nullable(),
  pausedAt: z.string().nullable(),
  /** The last successful payment that counts (never the refunded authorization minimum, since 0.5.0). */
  lastPayment: ChargeRecordSchema.nullable(),
  /** The most recent attempt on the stored card, whatever its outcome: a retry answers with it here. */
  lastAttempt: ChargeRecordSchema.nullable(),
  charges: z.array(ChargeRecordSchema),
  refunds: z.array(RefundRecordSchema),
  eventSequence: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
}));
export type SubscriptionView = z.infer<typeof SubscriptionViewSchema>;
