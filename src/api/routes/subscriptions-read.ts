import { Router } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { stateQuery } from '../../shared/messages';
import { SubscriptionIdSchema, subscriptionWorkflowId } from '../../shared/ids';
import { SubscriptionNotFoundError } from '../../temporal/errors';
import { listSubscriptions } from '../../temporal/list-subscriptions';
import { parseOrThrow } from '../problem';
import { ListSubscriptionsQuerySchema } from '../schemas';
import type { SubscriptionRoutesDeps } from './subscription-deps';

/** `GET /v1/subscriptions` (visibility, paginated) and `GET /v1/subscriptions/{id}` (the workflow's state query). */
export function createSubscriptionReadRouter(deps: Pick<SubscriptionRoutesDeps, 'temporal' | 'pageTokens'>): Router {
  const router = Router();

  router.get('/v1/subscriptions', async (req, res) => {
    const { pageSize, pageToken, ...filters } = parseOrThrow(ListSubscriptionsQuerySchema, req.query);
    res.json(await listSubscriptions(deps.temporal, filters, { pageSize, ...(pageToken ? { pageToken } : {}) }, deps.pageTokens));
  });

  router.get('/v1/subscriptions/:id', async (req, res) => {
    const id = parseOrThrow(SubscriptionIdSchema, req.params.id, ['id']);
    try {
      res.json(await deps.temporal.workflow.getHandle(subscriptionWorkflowId(id)).query(stateQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new SubscriptionNotFoundError(id);
      throw err;
    }
  });

  return router;
}
