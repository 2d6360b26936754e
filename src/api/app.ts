import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { CheckConnection } from '../gateways/connection-status';
import type { GatewayConnections } from '../gateways/connections';
import { GATEWAYS } from '../shared/gateway-policy';
import type { SubscriptionsFacade } from '../temporal/subscriptions';
import { requireApiKey } from './auth/require-api-key';
import { jsonBody } from './json-body';
import { createLogger, httpLogger } from './logging';
import { createApiMetrics, createMetricsRouter, httpMetrics, webhookMetrics, type ApiMetrics } from './metrics';
import { errorHandler, notFoundHandler } from './middleware/errors';
import { refuseQuerySecrets } from './middleware/query-secrets';
import { buildOpenApiDocument } from './openapi/document';
import { createDocsRouter } from './routes/docs';
import { createGatewaysRouter } from './routes/gateways';
import { createHealthRouter } from './routes/health';
import type { SubscriptionRoutesDeps } from './routes/subscription-deps';
import { createSubscriptionCreateRouter } from './routes/subscriptions-create';
import { createSubscriptionOperationsRouter } from './routes/subscriptions-operations';
import { createSubscriptionReadRouter } from './routes/subscriptions-read';
import { createWebhooksRouter } from './routes/webhooks';
import { temporalDeadline } from './temporal-deadline';

export interface AppDeps {
  config: Pick<Config, 'apiKeys'>;
  /** Every Temporal call of every route: create, view, list, update, signal (src/temporal/subscriptions.ts). */
  temporal: SubscriptionsFacade;
  /** The gateway accounts: webhooks verify against them, creates and plan changes check their rules. */
  connections: GatewayConnections;
  /** Public base URL of this API; `GET /v1/gateways` builds each connection's webhook URL from it. */
  publicBaseUrl: string;
  /** How `GET /v1/gateways` checks credentials; defaults to a cheap authenticated call to the gateway. */
  checkConnection?: CheckConnection;
  /** Replaces the webhooks router built from `connections` (tests mount a probe). */
  webhooksRouter?: Router;
  /** Replaces the gateways router built from `connections` (tests mount a probe). */
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
    subscriptions: deps.temporal,
    connections: deps.connections,
    checkoutWaitMs: deps.checkoutWaitMs ?? 10_000,
    now: deps.now ?? (() => new Date()),
  };
  const webhooksRouter = deps.webhooksRouter ?? createWebhooksRouter({ connections: deps.connections, subscriptions: deps.temporal, logger });
  const gatewaysRouter =
    deps.gatewaysRouter ?? createGatewaysRouter({ connections: deps.connections, publicBaseUrl: deps.publicBaseUrl, checkConnection: deps.checkConnection });

  // Before the logger: a URL carrying a key is refused and never logged.
  app.use(refuseQuerySecrets);
  app.use(httpLogger(logger));
  app.use(httpMetrics(metrics));

  // Unauthenticated: probes, the scraper, the API description, and gateway webhooks (verified by signature).
  const notReady = { temporal: 'not ready: Temporal is not reachable', worker: 'not ready: no worker is polling the task queue' } as const;
  app.use(createHealthRouter({ temporal: deps.temporal, log: (r) => logger.warn({ reason: r.reason }, notReady[r.missing]) }));
  if (deps.serveMetrics ?? true) app.use(createMetricsRouter(metrics));
  app.use(createDocsRouter(buildOpenApiDocument()));
  app.use('/webhooks', webhookMetrics(metrics, GATEWAYS));
  app.use(webhooksRouter);

  // Everything under /v1: API key first (nothing is parsed for an unauthenticated caller), then JSON only.
  app.use('/v1', requireApiKey(deps.config.apiKeys), ...jsonBody('100kb'), temporalDeadline(deps.temporal, deps.temporalDeadlineMs ?? 15_000));
  app.use(gatewaysRouter);
  app.use(createSubscriptionCreateRouter(routeDeps));
  app.use(createSubscriptionReadRouter(routeDeps));
  app.use(createSubscriptionOperationsRouter(routeDeps));
  if (deps.testClockRouter) app.use(deps.testClockRouter);

  app.use(notFoundHandler);
  app.use(errorHandler((err, msg) => logger.error({ err }, msg)));
  return app;
}
