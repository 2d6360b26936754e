import {
  ApplicationFailure,
  condition,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { authorizationReference } from '../shared/ids';
import { gatewayEventSignal, stateQuery } from '../shared/messages';
import { SubscriptionInputSchema, type SubscriptionInput } from '../shared/schemas';
import { SubscriptionStatusAttr } from '../shared/search-attributes';
import type { SubscriptionView } from '../shared/state';
import type { SubscriptionStatus } from '../shared/status';

/** One subscription's whole life. This first slice only waits for the card authorization. */
export async function subscriptionWorkflow(rawInput: SubscriptionInput): Promise<SubscriptionStatus> {
  const parsed = SubscriptionInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(`invalid subscription input: ${parsed.error.message}`, 'InvalidSubscriptionInput');
  }
  const input = parsed.data;
  let status: SubscriptionStatus = 'incomplete';
  let authorized = false;
  const startedAt = new Date(workflowInfo().startTime);
  const expiresAt = new Date(startedAt.getTime() + input.authorizationWindowMs);

  setHandler(gatewayEventSignal, (event) => {
    if (event.type === 'charge.succeeded' && event.reference === authorizationReference(input.subscriptionId)) {
      authorized = true;
    }
  });
  setHandler(stateQuery, (): SubscriptionView => ({
    id: input.subscriptionId,
    status,
    gateway: input.gateway,
    gatewayConnectionId: input.gatewayConnectionId,
    customer: input.customer,
    plan: input.plan,
    pendingPlan: null,
    metadata: input.metadata,
    authorization: {
      status: authorized ? 'authorized' : status === 'incomplete_expired' ? 'expired' : 'pending',
      checkoutUrl: null,
      amount: { amount: input.plan.amount, currency: input.plan.currency },
      reference: authorizationReference(input.subscriptionId),
      expiresAt: expiresAt.toISOString(),
      refunded: false,
    },
    card: null,
    cycle: 0,
    billingAnchor: null,
    trialEndsAt: null,
    currentPeriodStart: null,
    currentPeriodEnd: null,
    nextChargeAt: null,
    attempts: { made: 0, automaticRemaining: 0, nextRetryAt: null },
    cancelAtPeriodEnd: false,
    canceledAt: null,
    pausedAt: null,
    lastPayment: null,
    charges: [],
    refunds: [],
    eventSequence: 0,
    createdAt: input.createdAt,
    updatedAt: new Date().toISOString(),
  }));

  const arrived = await condition(() => authorized, input.authorizationWindowMs);
  status = arrived ? 'active' : 'incomplete_expired';
  upsertSearchAttributes([{ key: SubscriptionStatusAttr, value: status }]);
  return status;
}
