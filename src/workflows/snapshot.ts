import type { GatewayEvent } from '../shared/gateway-events';
import type { StoredCard } from '../shared/gateway-port';
import type { MerchantEvent } from '../shared/merchant-events';
import type { Money } from '../shared/money';
import type { Plan, SubscriptionInput } from '../shared/schemas';
import type { ChargeRecord, RefundRecord } from '../shared/state';
import type { SubscriptionStatus } from '../shared/status';

export interface AuthorizationState {
  status: 'pending' | 'authorized' | 'expired';
  checkoutUrl: string | null;
  amount: Money;
  reference: string;
  expiresAt: string;
  /** The payment is the first invoice (Flutterwave/Razorpay without trial) rather than a refunded minimum. */
  isFirstInvoice: boolean;
  refunded: boolean;
}

export interface DunningState {
  /** Attempts made for the cycle being collected, the first included. */
  attemptsMade: number;
  nextRetryAt: string | null;
  /** A retry-now update is waiting for the main loop to run the attempt. */
  retryNowRequested: boolean;
}

/**
 * Everything a subscription knows, JSON-only so it can be carried through continue-as-new. Unsent merchant
 * events (`outbox`) and unprocessed webhooks (`inbox`) travel with it, so nothing is lost at the boundary.
 * The card token lives here and never leaves through the query (see view.ts).
 */
export interface SubscriptionSnapshot {
  input: SubscriptionInput;
  status: SubscriptionStatus;
  plan: Plan;
  pendingPlan: Plan | null;
  card: StoredCard | null;
  authorization: AuthorizationState;
  /** Anchor of the current calendar; reset when a plan change alters the interval. */
  billingAnchor: string | null;
  /** Calendar index of the period the next (or current, while dunning) charge pays for. */
  periodIndex: number;
  trialEndsAt: string | null;
  /** Number of the cycle most recently billed (0 before the first charge). */
  cycle: number;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  nextChargeAt: string | null;
  dunning: DunningState;
  cancelAtPeriodEnd: boolean;
  canceledAt: string | null;
  pausedAt: string | null;
  lastPayment: ChargeRecord | null;
  charges: ChargeRecord[];
  refunds: RefundRecord[];
  seenEventIds: string[];
  inbox: GatewayEvent[];
  outbox: MerchantEvent[];
  eventSequence: number;
  createdAt: string;
  updatedAt: string;
}

/** The argument of every run after the first: the snapshot carried through continue-as-new. */
export interface ContinuedSubscription {
  snapshot: SubscriptionSnapshot;
}

export function isContinued(arg: unknown): arg is ContinuedSubscription {
  return typeof arg === 'object' && arg !== null && 'snapshot' in arg;
}

/** How many charges, refunds and webhook ids the snapshot keeps; bounded so carried state stays small. */
export const RETAINED = { charges: 20, refunds: 50, eventIds: 200 } as const;
