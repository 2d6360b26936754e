import express, { type Express, type Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { GATEWAYS, type Gateway } from '../shared/gateway-policy';
import { requireApiKey } from './auth/require-api-key';
import { planRuleErrors, policyRuleErrors } from './gateway-rules';
import { jsonBody } from './json-body';
import { createLogger, httpLogger } from './logging';
import { createApiMetrics, createMetricsRouter, httpMetrics, webhookMetrics, type ApiMetrics } from './metrics';
import { errorHandler, notFoundHandler } from './middleware/errors';
import { buildOpenApiDocument } from './openapi/document';
import type { FieldError } from './problem';
import { createDocsRouter } from './routes/docs';
import { createHealthRouter } from './routes/health';
import type { SubscriptionRoutesDeps } from './routes/subscription-deps';
import { createSubscriptionCreateRouter } from './routes/subscriptions-create';
import { createSubscriptionOperationsRouter } from './routes/subscriptions-operations';
import { createSubscriptionReadRouter } from './routes/subscriptions-read';

export interface AppDeps {
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'apiKeys'>;
  temporal: Client;
  gatewayOf: (connectionId: string) => Gateway | undefined;
  /** Per-connection authorization minimums (e.g. Paystack KES); the policy's defaults apply when omitted. */
  authorizationMinimumsOf?: SubscriptionRoutesDeps['authorizationMinimumsOf'];
  /** Gateway rules for a create body; defaults to GATEWAY_POLICIES. Wire `validateSubscriptionForConnection` here. */
  validateForGateway?: SubscriptionRoutesDeps['validateForGateway'];
  /** Gateway rules for `/plan`; defaults to GATEWAY_POLICIES for the connection's gateway. */
  validatePlanChange?: SubscriptionRoutesDeps['validatePlanChange'];
  /** `POST /webhooks/:gateway/:connectionId` (gateway branch): mounted before JSON parsing and API keys. */
  webhooksRouter?: Router;
  /** `GET /v1/gateways[/:id]` (gateway branch): mounted behind the API key like every /v1 route. */
  gatewaysRouter?: Router;
  /** The registry /metrics serves; webhooks are counted around webhooksRouter. A private one is made if omitted. */
  metrics?: ApiMetrics;
  logger?: Logger;
  checkoutWaitMs?: number;
  now?: () => Date;
}

/** The HTTP app, without listen(): tests drive it with supertest, main.ts serves it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const logger = deps.logger ?? createLogger({ level: 'info' });
  const metrics = deps.metrics ?? createApiMetrics();
  const noGatewayRules = (): FieldError[] => [];
  const routeDeps: SubscriptionRoutesDeps = {
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    gatewayOf: deps.gatewayOf,
    authorizationMinimumsOf: deps.authorizationMinimumsOf ?? (() => undefined),
    validateForGateway:
      deps.validateForGateway ??
      ((body) => {
        const gateway = deps.gatewayOf(body.gatewayConnectionId);
        return gateway ? policyRuleErrors(gateway, body) : noGatewayRules();
      }),
    validatePlanChange:
      deps.validatePlanChange ??
      ((connectionId, plan) => {
        const gateway = deps.gatewayOf(connectionId);
        return gateway ? planRuleErrors(gateway, plan, '') : noGatewayRules();
      }),
    checkoutWaitMs: deps.checkoutWaitMs ?? 10_000,
    now: deps.now ?? (() => new Date()),
  };

  app.use(httpLogger(logger));
  app.use(httpMetrics(metrics));

  // Unauthenticated: probes, the scraper, the API description, and gateway webhooks (verified by signature).
  app.use(createHealthRouter({ temporal: deps.temporal }));
  app.use(createMetricsRouter(metrics));
  app.use(createDocsRouter(buildOpenApiDocument()));
  if (deps.webhooksRouter) {
    app.use('/webhooks', webhookMetrics(metrics, GATEWAYS));
    app.use(deps.webhooksRouter);
  }

  // Everything under /v1: API key first (nothing is parsed for an unauthenticated caller), then JSON only.
  app.use('/v1', requireApiKey(deps.config.apiKeys), ...jsonBody('100kb'));
  if (deps.gatewaysRouter) app.use(deps.gatewaysRouter);
  app.use(createSubscriptionCreateRouter(routeDeps));
  app.use(createSubscriptionReadRouter(routeDeps));
  app.use(createSubscriptionOperationsRouter(routeDeps));

  app.use(notFoundHandler);
  app.use(errorHandler((err, msg) => logger.error({ err }, msg)));
  return app;
}
