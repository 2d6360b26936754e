import type { GatewayEvent } from '../shared/gateway-events';
import type { StoredCard } from '../shared/gateway-port';
import type { MerchantEvent } from '../shared/merchant-events';
import type { Money } from '../shared/money';
import type { Plan, SubscriptionInput } from '../shared/schemas';
import type { CardUpdateView, ChargeRecord, RefundRecord } from '../shared/state';
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

/**
 * The charge attempt in progress, carried through continue-as-new: its outcome is unknown or pending at the gateway,
 * so nothing else may be charged for the cycle until it is known (verified, never guessed).
 */
export interface OpenAttempt {
  cycle: number;
  attempt: number;
  reference: string;
  kind: 'initial' | 'renewal' | 'manual_retry';
  amount: Money;
  /** When the attempt was sent: retry spacing counts from here, not from when the answer came. */
  startedAt: string;
  /** `send`: the request is being made; `verify`: the outcome is unknown; `await_webhook`: the gateway said pending. */
  phase: 'send' | 'verify' | 'await_webhook';
  /** When the next verify runs (`verify` after a failed verify, `await_webhook` when no webhook came). */
  nextCheckAt: string | null;
  resends: number;
  pendingRounds: number;
  verifyRounds: number;
}

/** A refund request whose outcome is unknown (the activity failed): sent again under the same reference. */
export interface RefundRetry {
  reference: string;
  chargeReference: string;
  gatewayTransactionId: string;
  amount: Money;
  attempts: number;
  retryAt: string;
}

/**
 * A charge recorded as declined because the gateway said it never saw it, after sends whose outcome was unknown, or a
 * checkout left open when the subscription ended unpaid: either may still be paid late, so it is verified again
 * until the settlement horizon (0.4.0; unsettled.ts).
 */
export interface UnsettledCharge {
  cycle: number;
  attempt: number;
  reference: string;
  /** `authorization` / `card_update`: a checkout still open at the gateway when it stopped being awaited. */
  kind: 'authorization' | 'initial' | 'renewal' | 'manual_retry' | 'card_update';
  amount: Money;
  /** The horizon counts from here: the first send, or when a pending window ended or the subscription ended unpaid. */
  sentAt: string;
  nextCheckAt: string;
  checks: number;
}

/** The latest card update (card-update.ts); the view shows it as it is. Its reference continues `<id>-auth<n>`. */
export type CardUpdateState = CardUpdateView;

/** An update this subscription applied, by its id (the API's Idempotency-Key): never applied twice, across runs. */
export interface AppliedUpdate {
  id: string;
  name: string;
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
  // Fields added in 0.3.0; absent in snapshots carried by older runs.
  openAttempt?: OpenAttempt | null;
  refundRetries?: RefundRetry[];
  appliedUpdates?: AppliedUpdate[];
  /** The day of month the calendar keeps when a plan change re-anchors it on a clamped date (Jan 31 → Feb 28). */
  billingAnchorDay?: number | null;
  /** When the subscription reached a terminal status; late payments are refunded until the window after it closes. */
  endedAt?: string | null;
  // Added in 0.4.0.
  unsettledCharges?: UnsettledCharge[];
  /** Added in 0.4.0: the gateway reported the stored card revoked (Razorpay `token.*`); no renewal is sent to it. */
  cardRevoked?: { at: string; reason: string } | null;
  // Added in 0.6.0 (only through the updateCard update, which no earlier history holds).
  cardUpdate?: CardUpdateState | null;
  /** Added in 0.6.0 (`refunds-from-ledger`): what refunds are planned against, kept apart from the shown attempts. */
  refundable?: RefundableCharge[];
}

/**
 * A successful payment and how much of it is refunded (0.6.0). `charges` keeps only the last 20 attempts for the view,
 * declines included, so a Flutterwave subscription could refund only its last five cycles, and `refunds` keeps the
 * last 50, so a charge with many partial refunds could lose count and plan a refund under a reference already used.
 * This ledger keeps the last RETAINED.refundable payments with their refunded total and refund count, maintained as
 * refunds are recorded, so neither list's trimming changes what can be refunded or under which reference.
 */
export interface RefundableCharge {
  reference: string;
  gatewayTransactionId: string;
  amount: Money;
  /** Minor units refunded or being refunded (failed refunds excluded). */
  refunded: number;
  /** Refunds recorded against it so far: the next one is `refundReference(reference, issued + 1)`. */
  issued: number;
  at: string;
}

/** The snapshot as everything outside the entity sees it: read-only, all the way down. */
export type Sealed<T> = T extends (infer E)[] ? readonly Sealed<E>[] : T extends object ? { readonly [K in keyof T]: Sealed<T[K]> } : T;

/** The argument of every run after the first: the snapshot carried through continue-as-new. */
export interface ContinuedSubscription {
  snapshot: SubscriptionSnapshot;
}

export function isContinued(arg: unknown): arg is ContinuedSubscription {
  return typeof arg === 'object' && arg !== null && 'snapshot' in arg;
}

/** How many charges, refunds and webhook ids the snapshot keeps; bounded so carried state stays small. */
// `refundable`: 200 payments are more than half a year of a daily plan; about 35 KB carried at most.
export const RETAINED = { charges: 20, refunds: 50, eventIds: 200, updates: 50, unsettledCharges: 50, refundable: 200 } as const;
