import { Router } from 'express';
import type { SubscriptionsFacade } from '../../temporal/subscriptions';
import { sendProblem } from '../middleware/errors';
import { serviceUnavailable } from '../problem';

/** `/healthz`: the process is up. `/readyz`: Temporal answers within the deadline, so requests can be served. */
export function createHealthRouter(deps: { temporal: Pick<SubscriptionsFacade, 'ready'>; readinessTimeoutMs?: number; log?: (reason: string) => void }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const deadline = Date.now() + (deps.readinessTimeoutMs ?? 2000);
    try {
      await deps.temporal.ready(deadline);
      res.json({ status: 'ready' });
    } catch (err) {
      // The reason (addresses, gRPC detail) goes to the log only: the probe is unauthenticated.
      deps.log?.(err instanceof Error ? err.message : String(err));
      sendProblem(res, serviceUnavailable('Temporal is not reachable.'));
    }
  });
  return router;
}
