import type { Client } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import { subscriptionWorkflowId } from '../shared/ids';
import { SubscriptionNotFoundError } from './errors';

/**
 * A subscription's test clock: its workflow execution's own virtual time on a server with per-execution time
 * skipping (Temporal v1.32+, `frontend.WorkflowTimeSkippingEnabled`). Stripe's test clock states, minus the ones a
 * single execution cannot be in: `advancing` until the server has skipped to the target and no activity is running,
 * then `ready`.
 */
export interface TestClockState {
  subscriptionId: string;
  status: 'ready' | 'advancing';
  /** The execution's virtual now (wall-clock time if it has never skipped). */
  currentTime: string;
  /** Where the last advance stops; null before the first one. */
  targetTime: string | null;
  /** The last advance's id (derived from its Idempotency-Key), so a retried request is recognised. */
  advanceId: string | null;
}

/** The server refuses time skipping (an older server, or the dynamic-config switch is off). */
export class TimeSkippingUnavailableError extends Error {
  override readonly name = 'TimeSkippingUnavailableError';
}

const NOT_FOUND = 5;
// FAILED_PRECONDITION, UNIMPLEMENTED, INVALID_ARGUMENT, PERMISSION_DENIED: what a server answers that does not skip time.
const UNSUPPORTED = new Set([9, 12, 3, 7]);

const grpcCode = (err: unknown): number | undefined => (err as { code?: number }).code;

function translate(err: unknown, subscriptionId: string): never {
  const code = grpcCode(err);
  if (code === NOT_FOUND) throw new SubscriptionNotFoundError(subscriptionId);
  if (code !== undefined && UNSUPPORTED.has(code)) {
    throw new TimeSkippingUnavailableError(
      `The Temporal server does not allow time skipping here (${(err as Error).message}); run a server v1.32+ with frontend.WorkflowTimeSkippingEnabled (npm run dev does).`,
    );
  }
  throw err;
}

/**
 * The advance id carries its target (`…~<target ms, base 36>`): v1.32.2 reports the fast-forward's id and duration in
 * `effectiveConfig` but not always its target (`fastForwardInfo`), and the duration alone does not say from when.
 */
export const advanceIdWithTarget = (id: string, targetMs: number): string => `${id}~${targetMs.toString(36)}`;
const targetOfAdvanceId = (id: string): number | undefined => {
  const ms = parseInt(id.slice(id.lastIndexOf('~') + 1), 36);
  return id.includes('~') && Number.isFinite(ms) ? ms : undefined;
};

/** Reads the clock from the server's description of the execution: virtual time, fast-forward target, pending work. */
export async function readTestClock(client: Client, subscriptionId: string): Promise<TestClockState> {
  const res = await client.connection.workflowService
    .describeWorkflowExecution({ namespace: client.options.namespace, execution: { workflowId: subscriptionWorkflowId(subscriptionId) } })
    .catch((err: unknown) => translate(err, subscriptionId));
  const info = res.workflowExtendedInfo?.timeSkippingInfo;
  const ff = info?.fastForwardInfo;
  const advanceId = ff?.fastForwardId || info?.effectiveConfig?.fastForwardConfig?.id || null;
  const currentMs = info?.currentTime ? tsToMs(info.currentTime) : Date.now();
  const targetMs = ff?.targetTime ? tsToMs(ff.targetTime) : advanceId ? targetOfAdvanceId(advanceId) : undefined;
  // Still skipping: the server turns `enabled` off once the fast-forward reaches its target.
  const skipping = info?.effectiveConfig?.enabled === true && ff?.hasCompleted !== true;
  const busy = (res.pendingActivities?.length ?? 0) > 0 || res.pendingWorkflowTask != null;
  return {
    subscriptionId,
    status: skipping || busy ? 'advancing' : 'ready',
    currentTime: new Date(currentMs).toISOString(),
    targetTime: targetMs !== undefined ? new Date(targetMs).toISOString() : null,
    advanceId,
  };
}

/**
 * Fast-forwards the execution by `durationMs` of virtual time: timers due before the target fire in order at once,
 * activities (gateway calls) still run for real in between, and the server stops skipping at the target. Setting the
 * config again starts a new skip session, so the server's per-session skip cap applies per advance.
 */
export async function advanceTestClock(client: Client, subscriptionId: string, durationMs: number, advanceId: string): Promise<void> {
  await client.connection.workflowService
    .updateWorkflowExecutionOptions({
      namespace: client.options.namespace,
      workflowExecution: { workflowId: subscriptionWorkflowId(subscriptionId) },
      workflowExecutionOptions: { timeSkippingConfig: { enabled: true, fastForwardConfig: { id: advanceId, duration: msToTs(durationMs) } } },
      updateMask: { paths: ['time_skipping_config'] },
    })
    .catch((err: unknown) => translate(err, subscriptionId));
}
