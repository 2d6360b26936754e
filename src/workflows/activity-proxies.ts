import { ActivityCancellationType, proxyActivities, workflowInfo, type ActivityInterfaceFor, type ActivityOptions } from '@temporalio/workflow';
import type { SubscriptionActivities } from '../activities/types';
import { NOTIFY_MERCHANT_ACTIVITY_OPTIONS } from '../shared/activity-options';
import { GatewayErrors } from '../shared/gateway-port';
import { chargeTaskQueue } from '../shared/task-queues';
import type { Features } from './features';

/**
 * Gateway calls: transient errors retry with backoff, but only a few times, because an attempt that keeps failing
 * is ambiguous and the workflow then verifies the reference before doing anything else (never charge twice).
 */
const GATEWAY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [GatewayErrors.Rejected, GatewayErrors.UnknownConnection, GatewayErrors.RefundsDisabled],
  },
};

export const gateway = proxyActivities<SubscriptionActivities>(GATEWAY_OPTIONS);

/**
 * Where a charge goes: its connection's charge queue (0.4.0), where the server spaces the charges of every worker to
 * the connection's rate, or, for a run that began before, the workflow's own queue. Same options either way; no
 * schedule-to-start timeout, because a month-start storm legitimately waits its turn there.
 */
export function charger(f: Features, connectionId: string): Pick<ActivityInterfaceFor<SubscriptionActivities>, 'chargeCard'> {
  if (!f.chargeQueuePerConnection) return gateway;
  return proxyActivities<SubscriptionActivities>({ ...GATEWAY_OPTIONS, taskQueue: chargeTaskQueue(workflowInfo().taskQueue, connectionId) });
}

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
