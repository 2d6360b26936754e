import express, { type Express, type Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { GATEWAYS } from '../shared/gateway-policy';
import { DEV_CODEC_KEYS } from '../temporal/codec/codec-keys';
import { PageTokens } from '../temporal/page-token';
import { requireApiKey } from './auth/require-api-key';
import { jsonBody } from './json-body';
import { createLogger, httpLogger } from './logging';
import { createApiMetrics, createMetricsRouter, httpMetrics, webhookMetrics, type ApiMetrics } from './metrics';
import { errorHandler, notFoundHandler } from './middleware/errors';
import { refuseQuerySecrets } from './middleware/query-secrets';
import { buildOpenApiDocument } from './openapi/document';
import { createDocsRouter } from './routes/docs';
import { createHealthRouter } from './routes/health';
import type { SubscriptionRoutesDeps } from './routes/subscription-deps';
import { createSubscriptionCreateRouter } from './routes/subscriptions-create';
import { createSubscriptionOperationsRouter } from './routes/subscriptions-operations';
import { createSubscriptionReadRouter } from './routes/subscriptions-read';
import { temporalDeadline } from './temporal-deadline';

export interface AppDeps {
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'apiKeys'>;
  temporal: Client;
  /** The connection-aware gateway rules and lookups: `createGatewayApiDeps` (src/api/gateway-wiring.ts). */
  gatewayOf: SubscriptionRoutesDeps['gatewayOf'];
  authorizationMinimumsOf: SubscriptionRoutesDeps['authorizationMinimumsOf'];
  validateForGateway: SubscriptionRoutesDeps['validateForGateway'];
  validatePlanChange: SubscriptionRoutesDeps['validatePlanChange'];
  /** `POST /webhooks/:gateway/:connectionId`: mounted before JSON parsing and API keys. */
  webhooksRouter?: Router;
  /** `GET /v1/gateways[/:id]`: mounted behind the API key like every /v1 route. */
  gatewaysRouter?: Router;
  /** `/v1/subscriptions/{id}/test-clock[/advance]` (routes/test-clock.ts), behind the API key. */
  testClockRouter?: Router;
  /** The registry /metrics serves; webhooks are counted around webhooksRouter. A private one is made if omitted. */
  metrics?: ApiMetrics;
  /**
   * Serve /metrics on this app. main.ts turns it off when METRICS_ADDRESS gives metrics a listener of their own
   * (the default), so the scrape endpoint is not public beside the gateways' webhooks.
   */
  serveMetrics?: boolean;
  /** Longest any /v1 route waits on Temporal (default 15 s; above checkoutWaitMs so a create can still answer). */
  temporalDeadlineMs?: number;
  /** Page-token signer; defaults to one keyed from the development codec key (tests). */
  pageTokens?: PageTokens;
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
  const routeDeps: SubscriptionRoutesDeps = {
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    gatewayOf: deps.gatewayOf,
    authorizationMinimumsOf: deps.authorizationMinimumsOf,
    validateForGateway: deps.validateForGateway,
    validatePlanChange: deps.validatePlanChange,
    checkoutWaitMs: deps.checkoutWaitMs ?? 10_000,
    now: deps.now ?? (() => new Date()),
    pageTokens: deps.pageTokens ?? PageTokens.derivedFrom(DEV_CODEC_KEYS.keys[0]!.key),
  };

  // Before the logger: a URL carrying a key is refused and never logged.
  app.use(refuseQuerySecrets);
  app.use(httpLogger(logger));
  app.use(httpMetrics(metrics));

  // Unauthenticated: probes, the scraper, the API description, and gateway webhooks (verified by signature).
  app.use(createHealthRouter({ temporal: deps.temporal, log: (reason) => logger.warn({ reason }, 'not ready: Temporal is not reachable') }));
  if (deps.serveMetrics ?? true) app.use(createMetricsRouter(metrics));
  app.use(createDocsRouter(buildOpenApiDocument()));
  if (deps.webhooksRouter) {
    app.use('/webhooks', webhookMetrics(metrics, GATEWAYS));
    app.use(deps.webhooksRouter);
  }

  // Everything under /v1: API key first (nothing is parsed for an unauthenticated caller), then JSON only.
  app.use('/v1', requireApiKey(deps.config.apiKeys), ...jsonBody('100kb'), temporalDeadline(deps.temporal, deps.temporalDeadlineMs ?? 15_000));
  if (deps.gatewaysRouter) app.use(deps.gatewaysRouter);
  app.use(createSubscriptionCreateRouter(routeDeps));
  app.use(createSubscriptionReadRouter(routeDeps));
  app.use(createSubscriptionOperationsRouter(routeDeps));
  if (deps.testClockRouter) app.use(deps.testClockRouter);

  app.use(notFoundHandler);
  app.use(errorHandler((err, msg) => logger.error({ err }, msg)));
  return app;
}
