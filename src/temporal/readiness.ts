import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';

/**
 * How recently the server must have seen a workflow poll on the task queue for a worker to count. An idle worker's
 * long poll is held by the server for up to a minute (matching.longPollExpirationInterval, 1 min by default) and the
 * server stamps a poller when its poll arrives, so a healthy idle worker's newest poll can be just over 60 s old;
 * 90 s keeps it ready without flapping, and a dead worker stops counting within 90 s.
 */
export const WORKER_SEEN_WITHIN_MS = 90_000;

/** What /readyz needs: Temporal answers, and a worker polls the subscriptions task queue. `reason` is for the log only. */
export type Readiness =
  | { ready: true }
  | { ready: false; missing: 'temporal'; reason: string }
  | { ready: false; missing: 'worker'; taskQueue: string; reason: string };

/**
 * Asks the server for its system info, then for the workflow pollers of `taskQueue`, both bounded by `deadline`
 * (epoch ms). Never rejects: every failure is a Readiness naming the missing part.
 */
export async function checkReadiness(client: Client, taskQueue: string, deadline: number): Promise<Readiness> {
  let pollers: proto.api.taskqueue.v1.IPollerInfo[];
  try {
    await client.connection.withDeadline(deadline, () => client.workflowService.getSystemInfo({}));
    const res = await client.connection.withDeadline(deadline, () =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    pollers = res.pollers ?? [];
  } catch (err) {
    return { ready: false, missing: 'temporal', reason: err instanceof Error ? err.message : String(err) };
  }
  const seen = pollers.map((p) => optionalTsToMs(p.lastAccessTime)).filter((ms): ms is number => ms !== undefined);
  const newest = seen.length ? Math.max(...seen) : undefined;
  if (newest !== undefined && Date.now() - newest <= WORKER_SEEN_WITHIN_MS) return { ready: true };
  const reason =
    newest === undefined
      ? `no workflow poller on task queue ${taskQueue}`
      : `the newest workflow poll on task queue ${taskQueue} was ${Math.round((Date.now() - newest) / 1000)} s ago (${pollers.length} poller(s) listed)`;
  return { ready: false, missing: 'worker', taskQueue, reason };
}
