import { Router } from 'express';
import { CreateSubscriptionBodySchema, type SubscriptionInput } from '../../shared/schemas';
import { validateSubscriptionForConnection } from '../../gateways/rules';
import { idempotencyKeyHash, requestHash, subscriptionIdFromKey } from '../../temporal/idempotency';
import { idempotencyScope } from '../idempotency-key';
import { parseOrThrow, validationProblem, type FieldError, type Problem } from '../problem';
import type { SubscriptionRoutesDeps } from './subscription-deps';

/** How long the customer has to open the checkout and authorize the card. */
const AUTHORIZATION_WINDOW_MS = 23 * 60 * 60 * 1000;

/** The 422 for a valid body the connection's gateway cannot run (also the document's example of it). */
export const connectionRefusal = (gateway: string, errors: FieldError[]): Problem => validationProblem(errors, `The ${gateway} connection cannot run this subscription.`);

/** `POST /v1/subscriptions`: validate at the edge (schema, then gateway rules), start the workflow, answer with its checkout. */
export function createSubscriptionCreateRouter(deps: SubscriptionRoutesDeps): Router {
  const router = Router();

  router.post('/v1/subscriptions', async (req, res) => {
    const scope = idempotencyScope(req, res);
    const body = parseOrThrow(CreateSubscriptionBodySchema, req.body ?? {});
    const connection = deps.connections.get(body.gatewayConnectionId);
    if (!connection) {
      throw validationProblem([{ field: 'gatewayConnectionId', message: `no gateway connection "${body.gatewayConnectionId}" is configured` }]);
    }
    const { gateway } = connection;
    const ruleErrors = validateSubscriptionForConnection(body, connection);
    if (ruleErrors.length > 0) throw connectionRefusal(gateway, ruleErrors);

    const minimums = connection.authorizationMinimums;
    const input: SubscriptionInput = {
      subscriptionId: body.id ?? subscriptionIdFromKey(scope),
      customer: body.customer,
      plan: body.plan,
      gateway,
      gatewayConnectionId: body.gatewayConnectionId,
      metadata: body.metadata,
      authorizationWindowMs: AUTHORIZATION_WINDOW_MS,
      ...(minimums ? { authorizationMinimums: minimums } : {}),
      ...(connection.refundWindowDays !== undefined ? { refundWindowDays: connection.refundWindowDays } : {}),
      createdAt: deps.now().toISOString(),
    };
    const { view, replayed } = await deps.subscriptions.create(input, {
      // The parsed body (defaults applied) is the request's meaning: key order and omitted defaults do not matter.
      idempotency: { keyHash: idempotencyKeyHash(scope), requestHash: requestHash(body) },
      checkoutWaitMs: deps.checkoutWaitMs,
    });
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(201).location(`/v1/subscriptions/${view.id}`).json(view);
  });

  return router;
}
