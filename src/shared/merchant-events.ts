import { z } from 'zod';
import { MoneySchema } from './money';
import { SubscriptionStatusSchema } from './status';
import { shareable } from './shareable-schema';

export const MERCHANT_EVENT_TYPES = [
  'subscription.activated',
  'invoice.paid',
  'invoice.payment_failed',
  'subscription.past_due',
  'subscription.unpaid',
  'subscription.paused',
  'subscription.resumed',
  'subscription.canceled',
  'subscription.completed',
  'subscription.incomplete_expired',
  'subscription.trial_started',
  'refund.processed',
  /** A refund the gateway refused or reported failed: the money is still with the merchant; someone must act. */
  'refund.failed',
  /**
   * A successful payment that cannot count (its cycle was already paid, it came after the subscription ended, or its
   * checkout was no longer the authorization): Chargeloop refunds it; `refund.processed` follows when it settles.
   */
  'payment.refunding',
  /**
   * A charge still pending at the gateway past its window (a 3-D Secure step, an abandoned or pre-debit charge that
   * never completed): not counted as a decline; dunning moves on, and a later success is booked or refunded.
   */
  'charge.pending_expired',
  /**
   * The customer (or their bank) revoked the stored card's mandate at the gateway: no renewal is sent to it; the next
   * due charge fails at once (`invoice.payment_failed`, `subscription.unpaid`) until the customer gives a new card.
   */
  'card.revoked',
  /**
   * A refund the gateway has not answered for about a day of retries (5xx, timeouts): its outcome is unknown, so it
   * is not failed; Chargeloop keeps sending it under the same reference, and `refund.processed` (or `refund.failed`)
   * follows. Sent once per refund, so the merchant can tell the customer or check the gateway's dashboard.
   */
  'refund.delayed',
  /** A card-update checkout opened (0.6.0): `checkoutUrl` is the link to send the customer, valid until `expiresAt`. */
  'card_update.opened',
  /** The customer authorized a new card at the card-update checkout: renewals go to it (`card` says which). */
  'card.updated',
  /** A card-update checkout closed unpaid (its window ended, or a newer one replaced it): the card is unchanged. */
  'card_update.expired',
  /** The card-update checkout was paid in a way that cannot authorize a card (another amount, a card that cannot be charged again): refunded. */
  'card_update.failed',
  /** The pending authorization's checkout was reissued: a new link under the next reference, with a fresh window. */
  'checkout.reissued',
] as const;
export const MerchantEventTypeSchema = shareable(z.enum(MERCHANT_EVENT_TYPES));
export type MerchantEventType = z.infer<typeof MerchantEventTypeSchema>;

/**
 * One event for the merchant's backend. `id` is stable (`<subscriptionId>-<sequence>`) so a redelivery is
 * recognisable, and `sequence` orders the events of one subscription.
 */
export const MerchantEventSchema = shareable(z.object({
  id: z.string(),
  type: MerchantEventTypeSchema,
  sequence: z.number().int().positive(),
  subscriptionId: z.string(),
  customerId: z.string(),
  occurredAt: z.string(),
  status: SubscriptionStatusSchema,
  data: z
    .object({
      cycle: z.number().int().optional(),
      attempt: z.number().int().optional(),
      reference: z.string().optional(),
      amount: MoneySchema.optional(),
      reason: z.string().optional(),
      chargeReference: z.string().optional(),
      refundReference: z.string().optional(),
      nextChargeAt: z.string().nullable().optional(),
      nextRetryAt: z.string().nullable().optional(),
      checkoutUrl: z.string().optional(),
      expiresAt: z.string().optional(),
      card: z.object({ last4: z.string().optional(), brand: z.string().optional() }).optional(),
    })
    .strict(),
}));
export type MerchantEvent = z.infer<typeof MerchantEventSchema>;

export const merchantEventId = (subscriptionId: string, sequence: number): string => `${subscriptionId}-${sequence}`;

/**
 * What notifyMerchant returns: recorded as the activity's result in the workflow history, so an operator sees each
 * delivery (or the explicit skip when no endpoint is configured) next to the event it carried.
 */
export interface MerchantDelivery {
  eventId: string;
  status: 'delivered' | 'skipped';
  /** The activity attempt that succeeded (1 = first try). */
  attempt: number;
  httpStatus?: number;
  reason?: string;
}

/** Error `type`s thrown by notifyMerchant (ApplicationFailure.type). */
export const NotifyErrors = {
  /** The endpoint answered non-2xx or could not be reached: retried with backoff. */
  DeliveryFailed: 'MerchantDeliveryFailed',
  /** The event does not match MerchantEventSchema: a bug, never retried. */
  InvalidEvent: 'InvalidMerchantEvent',
} as const;
