import type { SubscriptionsFacade } from '../temporal/subscriptions';
import type { RequestHandler } from 'express';

/**
 * Every Temporal call a request makes runs under one deadline: the SDK keeps it in async-local call context, so the
 * routes need no change and a new route cannot forget it. A hung or unreachable cluster therefore ends in
 * DEADLINE_EXCEEDED (→ 503 with Retry-After, middleware/errors.ts) instead of the client's many seconds of retries.
 */
export function temporalDeadline(temporal: Pick<SubscriptionsFacade, 'withDeadline'>, deadlineMs: number): RequestHandler {
  return (_req, res, next) => {
    void temporal
      .withDeadline(Date.now() + deadlineMs, () => new Promise<void>((resolve) => {
        res.once('close', resolve);
        next();
      }))
      .catch(next);
  };
}
