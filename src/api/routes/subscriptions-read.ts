import { Router } from 'express';
import { SubscriptionIdSchema } from '../../shared/ids';
import { parseOrThrow } from '../problem';
import { ListSubscriptionsQuerySchema } from '../schemas';
import type { SubscriptionRoutesDeps } from './subscription-deps';

/** `GET /v1/subscriptions` (visibility, paginated) and `GET /v1/subscriptions/{id}` (the workflow's state query). */
export function createSubscriptionReadRouter(deps: Pick<SubscriptionRoutesDeps, 'subscriptions'>): Router {
  const router = Router();

  router.get('/v1/subscriptions', async (req, res) => {
    const { pageSize, pageToken, ...filters } = parseOrThrow(ListSubscriptionsQuerySchema, req.query);
    res.json(await deps.subscriptions.list(filters, { pageSize, ...(pageToken ? { pageToken } : {}) }));
  });

  router.get('/v1/subscriptions/:id', async (req, res) => {
    const id = parseOrThrow(SubscriptionIdSchema, req.params.id, ['id']);
    res.json(await deps.subscriptions.view(id));
  });

  return router;
}
