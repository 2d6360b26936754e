import { isCheckoutCharge, type ChargeRecord, type SubscriptionView } from '../shared/state';
import { automaticRetriesRemaining } from './dunning';
import type { Sealed } from './snapshot';
import type { SubscriptionState } from './subscription-state';

/** The most recent charge record that `matches` (charges keep their order; a record is updated in place). */
export function latestCharge(sub: SubscriptionState, matches: (c: Sealed<ChargeRecord>) => boolean): Sealed<ChargeRecord> | null {
  const charges = sub.s.charges;
  for (let i = charges.length - 1; i >= 0; i -= 1) if (matches(charges[i]!)) return charges[i]!;
  return null;
}

/** The most recent attempt on the stored card. */
export function lastAttempt(sub: SubscriptionState): SubscriptionView['lastAttempt'] {
  const c = latestCharge(sub, (x) => !isCheckoutCharge(x.kind));
  return c ? { ...c } : null;
}

/** The public view: everything an operator or merchant may see, and nothing secret (no card token). */
export function buildView(sub: SubscriptionState): SubscriptionView {
  const s = sub.s;
  const { authorization: a } = s;
  const automaticRemaining =
    s.status === 'past_due' ? automaticRetriesRemaining(sub.policy, s.dunning.attemptsMade) : s.status === 'unpaid' ? 0 : sub.policy.automaticRetries.count;
  return {
    id: sub.id,
    status: s.status,
    gateway: s.input.gateway,
    gatewayConnectionId: s.input.gatewayConnectionId,
    customer: s.input.customer,
    plan: s.plan,
    pendingPlan: s.pendingPlan,
    metadata: s.input.metadata,
    authorization: {
      status: a.status,
      checkoutUrl: a.checkoutUrl,
      amount: a.amount,
      reference: a.reference,
      expiresAt: a.expiresAt,
      refunded: a.refunded,
    },
    card: s.card ? { ...(s.card.last4 ? { last4: s.card.last4 } : {}), ...(s.card.brand ? { brand: s.card.brand } : {}) } : null,
    cardUpdate: s.cardUpdate ? { ...s.cardUpdate, amount: { ...s.cardUpdate.amount } } : null,
    cycle: s.cycle,
    billingAnchor: s.billingAnchor,
    trialEndsAt: s.trialEndsAt,
    currentPeriodStart: s.currentPeriodStart,
    currentPeriodEnd: s.currentPeriodEnd,
    nextChargeAt: s.nextChargeAt,
    attempts: { made: s.dunning.attemptsMade, automaticRemaining, nextRetryAt: s.dunning.nextRetryAt },
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    canceledAt: s.canceledAt,
    pausedAt: s.pausedAt,
    lastPayment: s.lastPayment,
    lastAttempt: lastAttempt(sub),
    charges: s.charges.map((c) => ({ ...c })),
    refunds: s.refunds.map((r) => ({ ...r })),
    eventSequence: s.eventSequence,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
