import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { GATEWAY_EVENT_TYPES, type GatewayEvent } from './gateway-events';
import { PositiveMinorUnitsSchema } from './money';
import { PlanSchema, type Plan } from './schemas';
import type { SubscriptionView } from './state';
import { shareable } from './shareable-schema';

/**
 * A verified, normalized gateway webhook for this subscription, under one name for every type: what APIs before 0.6.0
 * send, and what older histories hold. The workflow keeps handling it.
 */
export const gatewayEventSignal = defineSignal<[GatewayEvent]>('gatewayEvent');

/**
 * Since 0.6.0 the API signals each gateway event under a name that says what it carries (`gateway.charge.failed`), so
 * the Temporal UI's timeline reads "gateway.charge.failed" where it read a bare "gatewayEvent" (signals carry no
 * summary). Same payload and handling as `gatewayEventSignal`. Deploy workers before the API: a 0.5.0 worker has no
 * handler for these names.
 */
export const gatewayEventSignals = Object.fromEntries(
  GATEWAY_EVENT_TYPES.map((type) => [type, defineSignal<[GatewayEvent]>(`gateway.${type}`)]),
) as Record<GatewayEvent['type'], ReturnType<typeof defineSignal<[GatewayEvent]>>>;

/** The full state of the subscription. */
export const stateQuery = defineQuery<SubscriptionView>('state');

export const CancelRequestSchema = shareable(z.object({ at: z.enum(['now', 'period_end']) }).strict());
export type CancelRequest = z.infer<typeof CancelRequestSchema>;

export const RefundRequestSchema = shareable(z
  .object({
    chargeReference: z.string().min(1),
    /** Minor units; omitted means the rest of the charge that is not yet refunded. */
    amount: PositiveMinorUnitsSchema.optional(),
    reason: z.string().max(200).optional(),
  })
  .strict());
export type RefundRequest = z.infer<typeof RefundRequestSchema>;

/**
 * Waits until the checkout is open (or the subscription left \`incomplete\` without one) and answers the subscription
 * as it was when the checkout opened: the same body on every call, so a retried create gets its original response.
 */
export const checkoutUpdate = defineUpdate<SubscriptionView, []>('checkout');

/** Operations that can be refused run as updates: the validator rejects them before anything is written. */
export const cancelUpdate = defineUpdate<SubscriptionView, [CancelRequest]>('cancel');
export const pauseUpdate = defineUpdate<SubscriptionView, []>('pause');
export const resumeUpdate = defineUpdate<SubscriptionView, []>('resume');
/** Razorpay: run the next scheduled attempt now; Paystack: one more attempt while `unpaid`. */
export const retryNowUpdate = defineUpdate<SubscriptionView, []>('retryNow');
/** Change the plan from the next cycle. */
export const changePlanUpdate = defineUpdate<SubscriptionView, [Plan]>('changePlan');
export const refundUpdate = defineUpdate<SubscriptionView, [RefundRequest]>('refund');
/**
 * Opens a checkout that authorizes a replacement card (the gateway's own flow, its minimum refunded) and answers once
 * its link exists (`cardUpdate.checkoutUrl`); billing moves to the new card when it is authorized (0.6.0).
 */
export const updateCardUpdate = defineUpdate<SubscriptionView, []>('updateCard');
/** A new link for the pending authorization checkout, under the next reference, with a fresh window (0.6.0). */
export const reissueCheckoutUpdate = defineUpdate<SubscriptionView, []>('reissueCheckout');

export const ChangePlanRequestSchema = PlanSchema;

/** Error `type` of every refused update, so the API can answer 409 with the workflow's reason. */
export const UPDATE_REFUSED = 'UpdateRefused';
