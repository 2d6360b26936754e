/** The task queue that runs subscription workflows and their activities (charges: their connection's queue, below). */
export const SUBSCRIPTIONS_TASK_QUEUE = 'chargeloop-subscriptions';

/**
 * The task queue of one gateway connection's charges, under the workflow's own queue (so two deployments, or two
 * tests, never share one). Workers poll it with the connection's rate limit, which the server holds for all of them.
 */
export const chargeTaskQueue = (workflowTaskQueue: string, connectionId: string): string => `${workflowTaskQueue}-charges-${connectionId}`;
