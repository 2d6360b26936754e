import { Router, type Request, type Response } from 'express';
import type { UpdateDefinition } from '@temporalio/common';
import { validatePlanForConnection } from '../../gateways/rules';
import { SubscriptionIdSchema } from '../../shared/ids';
import {
  cancelUpdate,
  CancelRequestSchema,
  changePlanUpdate,
  ChangePlanRequestSchema,
  pauseUpdate,
  refundUpdate,
  RefundRequestSchema,
  reissueCheckoutUpdate,
  resumeUpdate,
  retryNowUpdate,
  updateCardUpdate,
} from '../../shared/messages';
import type { SubscriptionView } from '../../shared/state';
import { updateIdFromKey } from '../../temporal/idempotency';
import { idempotencyScope } from '../idempotency-key';
import { Problem, parseOrThrow, validationProblem } from '../problem';
import { EmptyBodySchema } from '../schemas';
import type { SubscriptionRoutesDeps } from './subscription-deps';

/**
 * The operations that change a subscription, each one workflow update: the workflow's validator refuses what its
 * state does not allow (→ 409 with its reason) before anything is written to history.
 */
export function createSubscriptionOperationsRouter(deps: Pick<SubscriptionRoutesDeps, 'subscriptions' | 'connections'>): Router {
  const router = Router();

  /** Parses the id and key, runs the update, answers 200 with the new view. */
  async function run<Args extends unknown[]>(req: Request, res: Response, def: UpdateDefinition<SubscriptionView, Args>, args: Args): Promise<void> {
    const id = parseOrThrow(SubscriptionIdSchema, req.params.id, ['id']);
    const scope = idempotencyScope(req, res);
    // The key is scoped to the subscription too: one key may serve "cancel A" and "cancel B" in a batch job.
    const updateId = updateIdFromKey({ principal: scope.principal, key: `${id}\n${scope.key}` });
    res.json(await deps.subscriptions.update(id, def, args, updateId));
  }

  const empty = (req: Request): void => void parseOrThrow(EmptyBodySchema, req.body ?? {});

  router.post('/v1/subscriptions/:id/cancel', async (req, res) => {
    await run(req, res, cancelUpdate, [parseOrThrow(CancelRequestSchema, req.body ?? {})]);
  });
  router.post('/v1/subscriptions/:id/pause', async (req, res) => {
    empty(req);
    await run(req, res, pauseUpdate, []);
  });
  router.post('/v1/subscriptions/:id/resume', async (req, res) => {
    empty(req);
    await run(req, res, resumeUpdate, []);
  });
  router.post('/v1/subscriptions/:id/retry', async (req, res) => {
    empty(req);
    await run(req, res, retryNowUpdate, []);
  });
  router.post('/v1/subscriptions/:id/refunds', async (req, res) => {
    await run(req, res, refundUpdate, [parseOrThrow(RefundRequestSchema, req.body ?? {})]);
  });
  router.post('/v1/subscriptions/:id/card-update', async (req, res) => {
    const id = parseOrThrow(SubscriptionIdSchema, req.params.id, ['id']);
    idempotencyScope(req, res);
    empty(req);
    // The new card is authorized with a minimum that must be refunded; only the connection knows whether it can be.
    const { gatewayConnectionId } = await deps.subscriptions.view(id);
    const connection = deps.connections.get(gatewayConnectionId);
    if (connection && !connection.flags.refundsEnabled) {
      throw new Problem(409, 'Refused', `Connection "${connection.id}" cannot refund (flags.refundsEnabled is false), so the minimum charge that authorizes a new card could never be refunded. Enable refunds on the connection.`);
    }
    await run(req, res, updateCardUpdate, []);
  });
  router.post('/v1/subscriptions/:id/checkout/reissue', async (req, res) => {
    empty(req);
    await run(req, res, reissueCheckoutUpdate, []);
  });
  router.post('/v1/subscriptions/:id/plan', async (req, res) => {
    const id = parseOrThrow(SubscriptionIdSchema, req.params.id, ['id']);
    idempotencyScope(req, res); // checked before the state query, so a request without a key costs nothing
    const plan = parseOrThrow(ChangePlanRequestSchema, req.body ?? {});
    // The gateway's rules need the subscription's connection, which only the workflow knows.
    const { gatewayConnectionId } = await deps.subscriptions.view(id);
    const connection = deps.connections.get(gatewayConnectionId);
    const errors = connection ? validatePlanForConnection(plan, connection, '') : [];
    if (errors.length > 0) throw validationProblem(errors, 'The subscription\'s gateway cannot run this plan.');
    await run(req, res, changePlanUpdate, [plan]);
  });

  return router;
}
