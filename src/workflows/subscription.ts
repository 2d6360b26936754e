import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { authorizationReference } from '../shared/ids';
import { authorizationCharge, planRefusalReason } from '../shared/plan-rules';
import { SubscriptionInputSchema, type SubscriptionInput } from '../shared/schemas';
import type { SubscriptionView } from '../shared/state';
import { SubscriptionErrors } from '../shared/workflow-errors';
import { installHandlers } from './handlers';
import { settle, step } from './lifecycle';
import { isContinued, type ContinuedSubscription, type SubscriptionSnapshot } from './snapshot';
import { isTerminal } from './state-machine';
import { SubscriptionState } from './subscription-state';
import { buildView } from './view';
import { Visibility } from './visibility';

/** Cycles billed per run before continuing as new, so a daily plan's history stays small. */
export const CYCLES_PER_RUN = 12;

function firstSnapshot(raw: SubscriptionInput): SubscriptionSnapshot {
  const parsed = SubscriptionInputSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(`invalid subscription input: ${detail}`, SubscriptionErrors.InvalidInput);
  }
  const input = parsed.data;
  const refusal = planRefusalReason(input.gateway, input.plan, input.authorizationMinimums);
  if (refusal) throw ApplicationFailure.nonRetryable(refusal, SubscriptionErrors.PlanNotSupported);
  const now = Date.now();
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

function shouldContinueAsNew(sub: SubscriptionState): boolean {
  // Not while authorizing, nor while a retry-now update waits for this loop to run its attempt.
  const stable = sub.s.status !== 'incomplete' && !sub.s.dunning.retryNowRequested;
  return stable && (sub.cyclesThisRun >= CYCLES_PER_RUN || workflowInfo().continueAsNewSuggested);
}

/**
 * One subscription, for its whole life: authorization, trial, calendar billing, dunning, pause and cancellation.
 * Runs after the first continue as new with the carried snapshot. Returns the final view when it ends.
 */
export async function subscriptionWorkflow(arg: SubscriptionInput | ContinuedSubscription): Promise<SubscriptionView> {
  const sub = new SubscriptionState(isContinued(arg) ? arg.snapshot : firstSnapshot(arg));
  const visibility = new Visibility(sub);
  sub.onChange = () => visibility.publish();
  installHandlers(sub);
  visibility.publish();

  for (;;) {
    await settle(sub);
    if (isTerminal(sub.s.status)) break;
    if (shouldContinueAsNew(sub)) {
      // Let running updates finish, then carry everything still queued; no await between the check and the call.
      await condition(allHandlersFinished);
      if (!sub.hasWork()) await continueAsNew<typeof subscriptionWorkflow>({ snapshot: sub.s });
      continue;
    }
    await step(sub);
  }
  await condition(allHandlersFinished);
  await settle(sub);
  return buildView(sub);
}
