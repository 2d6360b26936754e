import { z } from 'zod';
import { MoneySchema, type Money } from './money';
import type { Customer } from './schemas';
import type { Gateway } from './gateway-policy';
import { shareable } from './shareable-schema';

/**
 * A reusable card credential returned by the gateway after the first successful payment:
 * Paystack `authorization_code`, Flutterwave `card.token`, Razorpay `token_id` (+ customer id).
 * It lets Chargeloop charge the card again, so it stays inside workflow state and is never returned by the API.
 */
export const StoredCardSchema = shareable(z
  .object({
    token: z.string().min(1),
    gatewayCustomerId: z.string().optional(),
    last4: z.string().optional(),
    brand: z.string().optional(),
    expMonth: z.string().optional(),
    expYear: z.string().optional(),
    reusable: z.boolean().default(true),
    /**
     * A digest of the token (src/gateways/card-key.ts), published as the `CardLookupKey` search attribute so a
     * revocation webhook that names only the token finds its subscription. Set where revocation webhooks exist (Razorpay).
     */
    lookupKey: z.string().optional(),
  })
  .strict());
export type StoredCard = z.infer<typeof StoredCardSchema>;

/** What the gateway said about one charge reference; the workflow acts only on this typed outcome. */
export const ChargeOutcomeSchema = shareable(z.discriminatedUnion('status', [
  z.object({
    status: z.literal('succeeded'),
    reference: z.string(),
    gatewayTransactionId: z.string(),
    amount: MoneySchema,
    paidAt: z.string(),
    card: StoredCardSchema.optional(),
  }),
  z.object({ status: z.literal('declined'), reference: z.string(), reason: z.string(), code: z.string().optional() }),
  /** Accepted but not final (queued, 3DS step, processing): wait for the webhook or verify again. */
  z.object({ status: z.literal('pending'), reference: z.string() }),
  /** The gateway has no record of the reference: nothing was charged. */
  z.object({ status: z.literal('not_found'), reference: z.string() }),
]));
export type ChargeOutcome = z.infer<typeof ChargeOutcomeSchema>;

export const RefundOutcomeSchema = shareable(z.object({
  status: z.enum(['pending', 'processed', 'failed']),
  reference: z.string(),
  gatewayRefundId: z.string().optional(),
  amount: MoneySchema,
  reason: z.string().optional(),
}));
export type RefundOutcome = z.infer<typeof RefundOutcomeSchema>;

export interface ConnectionRef {
  gateway: Gateway;
  connectionId: string;
}

export interface InitializeAuthorizationInput extends ConnectionRef {
  subscriptionId: string;
  customer: Customer;
  amount: Money;
  reference: string;
  /** True when this payment is the first invoice (Flutterwave/Razorpay without trial), false for a refunded minimum. */
  isFirstInvoice: boolean;
}
export interface InitializeAuthorizationResult {
  checkoutUrl: string;
  reference: string;
  /** Gateway-side id needed later (Razorpay order id, Paystack access code). */
  gatewayOrderId?: string;
}

export interface ChargeCardInput extends ConnectionRef {
  subscriptionId: string;
  customer: Customer;
  amount: Money;
  reference: string;
  card: StoredCard;
  description: string;
}

export interface VerifyChargeInput extends ConnectionRef {
  reference: string;
  /** Flutterwave webhooks carry a transaction id that verifies more directly than the tx_ref. */
  gatewayTransactionId?: string;
}

export interface RefundInput extends ConnectionRef {
  chargeReference: string;
  gatewayTransactionId: string;
  amount: Money;
  reference: string;
}

/** Error `type`s thrown by gateway activities (ApplicationFailure.type). */
export const GatewayErrors = {
  /** Bad configuration or a request the gateway will never accept: retrying cannot help. */
  Rejected: 'GatewayRejected',
  /** Refunds are disabled on this connection. */
  RefundsDisabled: 'RefundsDisabled',
  UnknownConnection: 'UnknownConnection',
  /**
   * A checkout already exists under this reference (an earlier attempt created it and its answer was lost).
   * Its URL cannot be had again, and nobody can have paid it, so the caller opens a new one under the next reference.
   */
  DuplicateReference: 'DuplicateReference',
  /**
   * A verify answered with a transaction other than the one asked for (Flutterwave tx_ref or currency differ). It
   * says nothing about the reference: ignore it and log it, never record it as a decline.
   */
  VerificationMismatch: 'VerificationMismatch',
} as const;
