import type { Client } from '@temporalio/client';
import type { Router } from 'express';
import type { CheckConnection } from '../gateways/connection-status';
import type { GatewayConnections } from '../gateways/connections';
import { validatePlanForConnection, validateSubscriptionForConnection, type RuleViolation } from '../gateways/rules';
import type { Gateway } from '../shared/gateway-policy';
import { subscriptionWorkflowId } from '../shared/ids';
import { gatewayEventSignal } from '../shared/messages';
import type { AuthorizationMinimums, CreateSubscriptionBody, Plan } from '../shared/schemas';
import { createGatewaysRouter } from './routes/gateways';
import type { RouteLogger } from './routes/route-logger';
import { createWebhooksRouter } from './routes/webhooks';

/** How long a webhook may wait for Temporal to accept its signal before the gateway gets a 503. */
const SIGNAL_DEADLINE_MS = 3_000;

export interface GatewayApiDeps {
  gatewayOf: (connectionId: string) => Gateway | undefined;
  authorizationMinimumsOf: (connectionId: string) => AuthorizationMinimums | undefined;
  validateForGateway: (body: CreateSubscriptionBody) => RuleViolation[];
  validatePlanChange: (connectionId: string, plan: Plan) => RuleViolation[];
  webhooksRouter: Router;
  gatewaysRouter: Router;
}

/**
 * Everything the API needs from the gateway edge, over one set of connections. Webhooks signal the subscription's
 * current run; a closed or unknown workflow rejects with WorkflowNotFoundError, which the route logs and acknowledges.
 */
export function createGatewayApiDeps(deps: {
  connections: GatewayConnections;
  temporal: Pick<Client, 'workflow' | 'withDeadline'>;
  publicBaseUrl: string;
  logger?: RouteLogger;
  checkConnection?: CheckConnection;
}): GatewayApiDeps {
  const { connections } = deps;
  return {
    gatewayOf: (id) => connections.get(id)?.gateway,
    authorizationMinimumsOf: (id) => connections.get(id)?.authorizationMinimums,
    validateForGateway: (body) => {
      const connection = connections.get(body.gatewayConnectionId);
      return connection ? validateSubscriptionForConnection(body, connection) : [];
    },
    validatePlanChange: (connectionId, plan) => {
      const connection = connections.get(connectionId);
      return connection ? validatePlanForConnection(plan, connection, '') : [];
    },
    webhooksRouter: createWebhooksRouter({
      connections,
      logger: deps.logger,
      // A bounded wait: with Temporal down the client would retry for many seconds, and gateways stop listening
      // first (Razorpay after 5 s), so they must get the 503 (and retry) well within their timeout.
      signalSubscription: (subscriptionId, event) =>
        deps.temporal.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
          deps.temporal.workflow.getHandle(subscriptionWorkflowId(subscriptionId)).signal(gatewayEventSignal, event),
        ),
    }),
    gatewaysRouter: createGatewaysRouter({ connections, publicBaseUrl: deps.publicBaseUrl, checkConnection: deps.checkConnection }),
  };
}
