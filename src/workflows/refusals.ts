import { formatMoney, type Money } from '../shared/money';
import type { CancelRequest, RefundRequest } from '../shared/messages';
import { planRefusalReason } from '../shared/plan-rules';
import type { Plan } from '../shared/schemas';
import type { ChargeRecord, RefundRecord } from '../shared/state';
import { RETAINED, type RefundableCharge } from './snapshot';
import { isTerminal } from './state-machine';
import type { SubscriptionState } from './subscription-state';

/**
 * Why an update must be refused, or null to accept it. Validators throw these reasons before anything is
 * written to history, so the API can show them as they are.
 */
function closed(sub: SubscriptionState): string | null {
  return isTerminal(sub.s.status) ? `subscription ${sub.id} is ${sub.s.status}` : null;
}

/** A charge was sent and its outcome is not known yet (pending at the gateway, or being verified). */
export function awaitingConfirmation(sub: SubscriptionState): boolean {
  return sub.attempt !== null && sub.attempt.phase !== 'send';
}

function confirming(sub: SubscriptionState): string | null {
  return awaitingConfirmation(sub) ? 'a charge is awaiting confirmation from the gateway; try again shortly' : null;
}

/**
 * Cancel is refused only when closed (0.3.0): a cancel while a charge awaits confirmation applies at once, and a
 * success that confirms later is refunded (a payment after the end). Runs before 0.3.0 refused it instead.
 */
export function cancelRefusal(sub: SubscriptionState, req: CancelRequest, opts: { allowWhileConfirming: boolean } = { allowWhileConfirming: false }): string | null {
  const refusal = closed(sub) ?? (opts.allowWhileConfirming ? null : confirming(sub));
  if (refusal) return refusal;
  if (req.at === 'period_end' && sub.s.status !== 'active' && sub.s.status !== 'trialing') {
    return `cancel at period end needs an active or trialing subscription (status is ${sub.s.status}); use at: "now"`;
  }
  return null;
}

export function pauseRefusal(sub: SubscriptionState): string | null {
  const refusal = closed(sub) ?? confirming(sub);
  if (refusal) return refusal;
  if (sub.s.status === 'paused') return 'subscription is already paused';
  if (sub.s.status !== 'active') return `only an active subscription can be paused (status is ${sub.s.status})`;
  if (sub.s.cancelAtPeriodEnd) return 'subscription is set to cancel at period end; cancel now instead';
  return null;
}

export function resumeRefusal(sub: SubscriptionState): string | null {
  return closed(sub) ?? (sub.s.status === 'paused' ? null : `only a paused subscription can be resumed (status is ${sub.s.status})`);
}

/**
 * Retry-now per the gateway's rule (gateway-policy.ts `manualRetry`). With `unpaidRecovery` (0.5.0) every gateway also
 * lets the merchant retry an `unpaid` subscription, under the cycle's next attempt reference: `unpaid` is no longer a
 * dead end once the customer has funds again.
 */
export function retryNowRefusal(sub: SubscriptionState, opts: { unpaidRecovery?: boolean } = {}): string | null {
  const refusal = closed(sub);
  if (refusal) return refusal;
  const { label, manualRetry } = sub.policy;
  if (sub.s.dunning.retryNowRequested || sub.attempt !== null) return 'a charge attempt is already running';
  if (opts.unpaidRecovery === true && sub.s.status === 'unpaid') return null;
  switch (manualRetry) {
    case 'none':
      return `${label} retries failed renewals on its own schedule; a manual retry is not available`;
    case 'next_attempt_early':
      return sub.s.status === 'past_due' && sub.s.dunning.nextRetryAt !== null
        ? null
        : `${label} retry-now runs the next scheduled retry of a past_due subscription (status is ${sub.s.status})`;
    case 'while_unpaid':
      return sub.s.status === 'unpaid' ? null : `${label} allows a manual retry only while unpaid (status is ${sub.s.status})`;
  }
}

export function changePlanRefusal(sub: SubscriptionState, plan: Plan, opts: { refuseAfterCancel?: boolean } = {}): string | null {
  const refusal = closed(sub);
  if (refusal) return refusal;
  // It would apply at the boundary where the subscription ends (0.5.0: refused rather than shown as pending).
  if (opts.refuseAfterCancel === true && sub.s.cancelAtPeriodEnd) return 'subscription is set to cancel at period end; a plan change would never apply';
  if (sub.s.status === 'incomplete') return 'the card is not authorized yet; cancel and create a new subscription instead';
  if (plan.currency !== sub.s.plan.currency) return `a plan change cannot switch currency (${sub.s.plan.currency} → ${plan.currency})`;
  return planRefusalReason(sub.s.input.gateway, plan, sub.s.input.authorizationMinimums);
}

/** A card update needs a card to replace (0.6.0): an incomplete subscription has none yet, its checkout is reissued instead. */
export function updateCardRefusal(sub: SubscriptionState): string | null {
  const refusal = closed(sub);
  if (refusal) return refusal;
  if (sub.s.status === 'incomplete') return 'the card is not authorized yet; reissue the checkout instead (POST /v1/subscriptions/{id}/checkout/reissue)';
  if (sub.cardUpdate?.status === 'pending' && sub.cardUpdate.checkoutUrl === null) return 'a card-update checkout is being opened; try again shortly';
  return null;
}

/** Only a checkout still awaiting its payment can be reissued; while its link is being opened, there is nothing to replace yet. */
export function reissueCheckoutRefusal(sub: SubscriptionState): string | null {
  const refusal = closed(sub);
  if (refusal) return refusal;
  if (sub.s.status !== 'incomplete' || sub.s.authorization.status !== 'pending') {
    return `only a subscription awaiting its card authorization has a checkout to reissue (status is ${sub.s.status}); use card-update for a new card`;
  }
  if (sub.s.authorization.checkoutUrl === null) return 'the checkout is being opened; try again shortly';
  return null;
}

export interface RefundPlan {
  charge: Pick<ChargeRecord, 'reference' | 'amount'> & { gatewayTransactionId: string };
  amount: Money;
  /** 1-based number of this refund among the charge's refunds, for the deterministic reference. */
  n: number;
}

export function refundedSoFar(refunds: readonly RefundRecord[], chargeReference: string): { total: number; count: number } {
  const mine = refunds.filter((r) => r.chargeReference === chargeReference);
  return { total: mine.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount.amount, 0), count: mine.length };
}

/** Either the refund to make or why it cannot be made. */
export function planRefund(sub: SubscriptionState, req: RefundRequest): RefundPlan | string {
  // 0.6.0: against the ledger, which neither list's trimming changes (snapshot.ts, RefundableCharge); before, the lists.
  const ledger = sub.s.refundable !== undefined;
  const charge = ledger ? sub.refundable(req.chargeReference) : fromLists(sub, req.chargeReference);
  if (!charge) {
    const kept = ledger ? `its last ${RETAINED.refundable} payments are refundable` : `only the last ${sub.s.charges.length} charges are kept`;
    return `${req.chargeReference} is not a successful charge of subscription ${sub.id} (${kept})`;
  }
  const remaining = charge.amount.amount - charge.refunded;
  if (remaining <= 0) return `${charge.reference} is already fully refunded`;
  const amount = req.amount ?? remaining;
  if (amount > remaining) {
    return `refund of ${formatMoney({ amount, currency: charge.amount.currency })} exceeds the ${formatMoney({ amount: remaining, currency: charge.amount.currency })} left on ${charge.reference}`;
  }
  return { charge: { reference: charge.reference, gatewayTransactionId: charge.gatewayTransactionId, amount: charge.amount }, amount: { amount, currency: charge.amount.currency }, n: charge.issued + 1 };
}

/** Before 0.6.0: a retained successful charge, with what the retained refunds took from it. */
function fromLists(sub: SubscriptionState, reference: string): Pick<RefundableCharge, 'reference' | 'gatewayTransactionId' | 'amount' | 'refunded' | 'issued'> | undefined {
  const charge = sub.findCharge(reference);
  if (!charge || charge.outcome !== 'succeeded' || !charge.gatewayTransactionId) return undefined;
  const { total, count } = refundedSoFar(sub.s.refunds, charge.reference);
  return { reference: charge.reference, gatewayTransactionId: charge.gatewayTransactionId, amount: charge.amount, refunded: total, issued: count };
}
