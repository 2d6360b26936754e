import { Router } from 'express';
import type { Readiness } from '../../temporal/readiness';
import type { SubscriptionsFacade } from '../../temporal/subscriptions';
import { sendProblem } from '../middleware/errors';
import { serviceUnavailable } from '../problem';

export type NotReady = Exclude<Readiness, { ready: true }>;

/** What the unauthenticated probe may say: the missing part, never an address or a gRPC error (those go to `log`). */
const publicDetail = (r: NotReady): string =>
  r.missing === 'temporal' ? 'Temporal is not reachable.' : `No worker is polling task queue ${r.taskQueue}.`;

/**
 * `/healthz`: the process is up. `/readyz`: requests can be served, i.e. Temporal answers within the deadline and a
 * worker polls the subscriptions task queue (without one, a create would wait for a checkout that never opens).
 */
export function createHealthRouter(deps: { temporal: Pick<SubscriptionsFacade, 'ready'>; readinessTimeoutMs?: number; log?: (notReady: NotReady) => void }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const deadline = Date.now() + (deps.readinessTimeoutMs ?? 2000);
    const readiness = await deps.temporal.ready(deadline);
    if (readiness.ready) {
      res.json({ status: 'ready' });
      return;
    }
    deps.log?.(readiness);
    sendProblem(res, serviceUnavailable(publicDetail(readiness)));
  });
  return router;
}
