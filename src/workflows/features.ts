import { patched } from '@temporalio/workflow';

/**
 * Behaviour added in releases 0.3.0 and later, decided once at the start of each run with `patched()`: a run that began on an
 * older worker (its first task has no marker) keeps the old behaviour until it continues as new, so every committed
 * history replays; new runs record the markers and get the new behaviour. Each flag names the defect it fixes
 * (docs/subscription-workflow.md).
 */
export interface Features {
  /** Cancel-now and pause take the money lock instead of waiting for a parked loop; cancel is never refused for a pending charge. */
  moneyLock: boolean;
  /** Continue-as-new carries what is unfinished (an attempt awaiting its outcome, unsent events) instead of waiting for it. */
  carryUnfinished: boolean;
  /** A success for a charge recorded as declined counts for its cycle or is refunded; payments after the end are refunded. */
  latePayments: boolean;
  /** Refund requests with an unknown outcome are sent again under the same reference; a later webhook settles them. */
  refundRetries: boolean;
  /** Retry spacing counts from when the attempt was sent. */
  spacingFromAttemptStart: boolean;
  /** A pending plan change applies at the boundary before the subscription decides it is finished. */
  planBeforeFinish: boolean;
  /** A plan change that re-anchors the calendar keeps the anchor's day of month. */
  keepAnchorDay: boolean;
  /**
   * (0.4.0) A delivery abandoned for continue-as-new is continued only once the server confirms it cancelled, so no
   * activity of a finished run is left running, and its event is kept however the cancelled attempt ended.
   */
  abandonedDeliveryConfirmed: boolean;
  /** (0.4.0) A charge recorded as declined because the gateway never saw it is verified again until its horizon. */
  reverifyUnsettled: boolean;
  /** (0.4.0) A refund whose outcome stays unknown for about a day of retries is announced once (`refund.delayed`). */
  refundDelayAnnounced: boolean;
  /** 0.4.0: a charge pending past its gateway's window is escalated and closed as unknown (never a decline). */
  boundedPending: boolean;
  /** 0.4.0: a card the gateway reports revoked is remembered and announced, and no renewal is sent to it. */
  cardRevocation: boolean;
  /** Charges run on their connection's queue, whose rate limit the server holds across workers (src/worker). */
  chargeQueuePerConnection: boolean;
  /**
   * 0.5.0: one meaning per field: the first charges of cycle 1 are `initial`, the first invoice counts as attempt 1,
   * the refunded authorization minimum is not the last payment, and a plan change never outlives the end.
   */
  consistentRecords: boolean;
  /** 0.5.0: the outcome of the last settled charge is a search attribute (`LastChargeOutcome`). */
  lastChargeOutcomeVisible: boolean;
  /** 0.5.0: an ended subscription stays open for refunds for its refund window (default 180 days; after-the-end.ts). */
  refundsAfterEnd: boolean;
  /** 0.5.0: an `unpaid` subscription can be retried by the merchant on every gateway (refusals.ts). */
  unpaidRecovery: boolean;
  /**
   * 0.6.0: refunds are planned against a ledger of the last 200 payments (snapshot.ts, RefundableCharge), not the
   * view's last 20 attempts and last 50 refunds: older cycles stay refundable, and a charge with many partial refunds
   * never gets a refund reference it already used.
   */
  refundLedger: boolean;
  /**
   * 0.7.0: the loop's timer survives an early wake-up (loop-timer.ts): a webhook that changes nothing no longer
   * cancels the timer and starts the same one again (two history events, and the workflow task's CPU).
   */
  standingTimer: boolean;
}

/**
 * Each flag's own patch id, in the order older runs recorded them: replaying one calls `patched()` in that order.
 * Typed by `Features`, so a new flag cannot be left without its patch.
 */
const PATCH_IDS: Readonly<Record<keyof Features, string>> = {
  moneyLock: 'money-lock',
  carryUnfinished: 'continue-as-new-carries-unfinished-work',
  latePayments: 'late-payments-count-or-are-refunded',
  refundRetries: 'refunds-retry-under-same-reference',
  spacingFromAttemptStart: 'retry-spacing-from-attempt-start',
  planBeforeFinish: 'pending-plan-before-finish',
  keepAnchorDay: 'plan-change-keeps-anchor-day',
  abandonedDeliveryConfirmed: 'abandoned-delivery-confirmed',
  reverifyUnsettled: 'unsettled-charges-verified-until-horizon',
  refundDelayAnnounced: 'delayed-refunds-announced',
  boundedPending: 'pending-charges-expire-after-gateway-window',
  cardRevocation: 'revoked-card-stops-renewals',
  chargeQueuePerConnection: 'charges-on-connection-queue',
  consistentRecords: 'consistent-charge-records',
  lastChargeOutcomeVisible: 'last-charge-outcome-search-attribute',
  refundsAfterEnd: 'refunds-open-after-end',
  unpaidRecovery: 'merchant-retry-while-unpaid',
  refundLedger: 'refunds-from-ledger',
  standingTimer: 'loop-timer-survives-wake-ups',
};

/**
 * Since 0.8.0 a new run records one marker for every flag instead of one each. Core follows every patch marker with
 * an upsert of the `TemporalChangeVersion` search attribute listing all patch ids so far, so nineteen markers cost
 * each run 38 history events before it did anything (the bench's test-clock subscription at cycle 1 paid: 100 events
 * and 30 KB before 0.7.0, 59 and 19 KB after 0.8.0), and the worker kept a state machine and the payloads of each
 * while the run was cached. A run that began before 0.8.0 has no such marker, so each flag is decided by its own
 * marker as before and its history replays. A flag added later gets its own patch, beside this one, until the next
 * release folds it in.
 */
const EVERY_FEATURE_OF_0_8_0 = 'features-0.8.0';

export function decideFeatures(): Features {
  const all = patched(EVERY_FEATURE_OF_0_8_0);
  const features = {} as Features;
  for (const flag of Object.keys(PATCH_IDS) as (keyof Features)[]) features[flag] = all || patched(PATCH_IDS[flag]);
  return features;
}
