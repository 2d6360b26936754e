import { ApplicationFailure } from '@temporalio/common';
import { authorizationReference } from '../shared/ids';
import { authorizationCharge, planRefusalReason } from '../shared/plan-rules';
import { SubscriptionInputSchema, type SubscriptionInput } from '../shared/schemas';
import { SubscriptionErrors } from '../shared/workflow-errors';
import type { SubscriptionSnapshot } from './snapshot';

/**
 * The state of a new subscription, after validating its input again (the API already did): a plan the gateway
 * cannot run fails the workflow at once, non-retryably, before any money moves.
 */
export function firstSnapshot(raw: SubscriptionInput, now: number): SubscriptionSnapshot {
  const parsed = SubscriptionInputSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(`invalid subscription input: ${detail}`, SubscriptionErrors.InvalidInput);
  }
  const input = parsed.data;
  const refusal = planRefusalReason(input.gateway, input.plan, input.authorizationMinimums);
  if (refusal) throw ApplicationFailure.nonRetryable(refusal, SubscriptionErrors.PlanNotSupported);
  const { amount, isFirstInvoice } = authorizationCharge(input.gateway, input.plan, input.authorizationMinimums);
  const at = new Date(now).toISOString();
  return {
    input,
    status: 'incomplete',
    plan: input.plan,
    pendingPlan: null,
    card: null,
    authorization: {
      status: 'pending',
      checkoutUrl: null,
      amount,
      reference: authorizationReference(input.subscriptionId),
      expiresAt: new Date(now + input.authorizationWindowMs).toISOString(),
      isFirstInvoice,
      refunded: false,
    },
    billingAnchor: null,
    periodIndex: 0,
    trialEndsAt: null,
    cycle: 0,
    currentPeriodStart: null,
    currentPeriodEnd: null,
    nextChargeAt: null,
    dunning: { attemptsMade: 0, nextRetryAt: null, retryNowRequested: false },
    cancelAtPeriodEnd: false,
    canceledAt: null,
    pausedAt: null,
    lastPayment: null,
    charges: [],
    refunds: [],
    seenEventIds: [],
    inbox: [],
    outbox: [],
    eventSequence: 0,
    createdAt: at,
    updatedAt: at,
  };
}
