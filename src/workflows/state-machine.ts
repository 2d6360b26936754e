import type { SubscriptionStatus } from '../shared/status';

/**
 * The only legal lifecycle moves. `incomplete` may go straight to `past_due`/`unpaid` because Paystack charges the
 * first invoice after its refunded authorization, and that charge can be declined like any renewal.
 */
export const TRANSITIONS: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  incomplete: ['trialing', 'active', 'past_due', 'unpaid', 'incomplete_expired', 'canceled'],
  trialing: ['active', 'past_due', 'unpaid', 'canceled'],
  active: ['past_due', 'unpaid', 'paused', 'canceled', 'completed'],
  past_due: ['active', 'unpaid', 'canceled'],
  unpaid: ['active', 'canceled'],
  paused: ['active', 'canceled'],
  incomplete_expired: [],
  canceled: [],
  completed: [],
};

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * A plain Error on purpose: thrown in workflow code it fails the workflow task, which Temporal retries, so a bug
 * parks the subscription (visible in the UI) until a fixed worker is deployed, instead of closing it.
 */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: SubscriptionStatus,
    readonly to: SubscriptionStatus,
  ) {
    super(`illegal subscription transition ${from} → ${to}`);
  }
}

export function assertTransition(from: SubscriptionStatus, to: SubscriptionStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export function isTerminal(status: SubscriptionStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
