import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { stateQuery } from '../../shared/messages';
import { subscriptionWorkflowId, SubscriptionIdSchema } from '../../shared/ids';
import { CreateSubscriptionBodySchema, type SubscriptionInput } from '../../shared/schemas';
import type { Gateway } from '../../shared/gateway-policy';
import { startSubscription } from '../../temporal/start-subscription';
import { conflict, notFound, parseOrThrow, validationProblem } from '../problem';

export interface SubscriptionsRouterDeps {
  temporal: Client;
  taskQueue: string;
  /** The gateway behind a configured connection id, or undefined if there is no such connection. */
  gatewayOf: (connectionId: string) => Gateway | undefined;
  now?: () => Date;
}

const newSubscriptionId = (): string => `sub-${randomBytes(10).toString('hex')}`;

/** REST → Temporal: create a subscription (start its workflow) and read its state (query). */
export function createSubscriptionsRouter(deps: SubscriptionsRouterDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  router.post('/v1/subscriptions', async (req, res) => {
    const body = parseOrThrow(CreateSubscriptionBodySchema, req.body);
    const gateway = deps.gatewayOf(body.gatewayConnectionId);
    if (!gateway) {
      throw validationProblem([{ field: 'gatewayConnectionId', message: `no gateway connection "${body.gatewayConnectionId}" is configured` }]);
    }
    const input: SubscriptionInput = {
      subscriptionId: body.id ?? newSubscriptionId(),
      customer: body.customer,
      plan: body.plan,
      gateway,
      gatewayConnectionId: body.gatewayConnectionId,
      metadata: body.metadata,
      authorizationWindowMs: 23 * 60 * 60 * 1000,
      createdAt: now().toISOString(),
    };
    try {
      const handle = await startSubscription(deps.temporal, deps.taskQueue, input);
      const view = await handle.query(stateQuery);
      res.status(201).location(`/v1/subscriptions/${input.subscriptionId}`).json(view);
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw conflict(`Subscription "${input.subscriptionId}" already exists.`);
      throw err;
    }
  });

  router.get('/v1/subscriptions/:id', async (req, res) => {
    const id = parseOrThrow(SubscriptionIdSchema, req.params.id, ['id']);
    try {
      res.json(await deps.temporal.workflow.getHandle(subscriptionWorkflowId(id)).query(stateQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(`No subscription "${id}".`);
      throw err;
    }
  });

  return router;
}
