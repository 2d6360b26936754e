/** The one task queue that runs subscription workflows and their activities. */
export const SUBSCRIPTIONS_TASK_QUEUE = 'chargeloop-subscriptions';
