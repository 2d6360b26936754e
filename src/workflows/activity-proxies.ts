import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { SubscriptionActivities } from '../activities/types';
import { NOTIFY_MERCHANT_ACTIVITY_OPTIONS } from '../shared/activity-options';
import { GatewayErrors } from '../shared/gateway-port';

/**
 * Gateway calls: transient errors retry with backoff, but only a few times, because an attempt that keeps failing
 * is ambiguous and the workflow then verifies the reference before doing anything else (never charge twice).
 */
export const gateway = proxyActivities<SubscriptionActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [GatewayErrors.Rejected, GatewayErrors.UnknownConnection, GatewayErrors.RefundsDisabled],
  },
});

/** Verification only reads, so it may retry for longer before the workflow backs off with its own timer. */
export const verifier = proxyActivities<SubscriptionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/** Merchant events: retried for days with backoff (the delivery side's recommendation); sent beside billing. */
export const notifier = proxyActivities<SubscriptionActivities>(NOTIFY_MERCHANT_ACTIVITY_OPTIONS);

/**
 * The same deliveries, cancellable with confirmation: a cancelled call settles only once the server has recorded the
 * cancellation (or the running attempt ended), so a run that abandons a delivery for continue-as-new leaves nothing
 * of its own running. The attempt in flight ends within its HTTP timeout, well inside startToCloseTimeout.
 */
export const confirmedNotifier = proxyActivities<SubscriptionActivities>({
  ...NOTIFY_MERCHANT_ACTIVITY_OPTIONS,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});
