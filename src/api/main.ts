import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from '../config';
import { loadConnections } from '../gateways/connections';
import { createTemporalClient } from '../temporal/client';
import { PageTokens } from '../temporal/page-token';
import { SubscriptionsFacade } from '../temporal/subscriptions';
import { createApp } from './app';
import { createLogger } from './logging';
import { createTestClockRouter } from './routes/test-clock';
import { createApiMetrics, createMetricsRouter } from './metrics';
import { applyServerLimits, DEFAULT_SERVER_LIMITS } from './server-limits';

/** API process: serves the app, and on SIGINT/SIGTERM finishes in-flight requests before closing Temporal. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  if (config.apiKeys.length === 0) {
    // Fail fast rather than serve an API nobody can (or everybody could) call.
    throw new Error('API_KEYS: is required outside NODE_ENV=development (a JSON array of { name, sha256, scopes })');
  }
  if (config.NODE_ENV === 'development' && !process.env.API_KEYS) logger.warn('API_KEYS unset: accepting the documented development key only');
  const connections = loadConnections();
  const client = await createTemporalClient(config);
  const metrics = createApiMetrics();
  const currentCodecKey = config.codec.keys.find((k) => k.id === config.codec.currentKeyId)!.key;
  const pageTokens = config.PAGE_TOKEN_KEY ? new PageTokens(config.PAGE_TOKEN_KEY) : PageTokens.derivedFrom(currentCodecKey);
  // The one object through which the API reaches Temporal.
  const temporal = new SubscriptionsFacade({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, pageTokens });
  const separateMetrics = config.METRICS_ADDRESS !== '';
  const app = createApp({
    config, temporal, connections, publicBaseUrl: config.PUBLIC_BASE_URL, logger, metrics, serveMetrics: !separateMetrics,
    temporalDeadlineMs: config.API_TEMPORAL_DEADLINE_MS,
    // Test clocks move one workflow's time: a Temporal call of their own (src/temporal/test-clock.ts).
    testClockRouter: createTestClockRouter({ temporal: client, connectionModeOf: (id) => connections.get(id)?.mode }),
  });
  const server = applyServerLimits(
    app.listen(config.API_PORT, config.API_HOST, () => {
      const { address, port } = server.address() as AddressInfo;
      logger.info({ address, port }, `api listening on http://${address}:${port}`);
    }),
    { ...DEFAULT_SERVER_LIMITS, maxConnections: config.API_MAX_CONNECTIONS },
  );
  // /metrics on its own (by default loopback) listener: the scraper reaches it, the internet facing webhooks does not.
  const metricsServer = separateMetrics
    ? (() => {
        const [host, port] = [config.METRICS_ADDRESS.slice(0, config.METRICS_ADDRESS.lastIndexOf(':')), Number(config.METRICS_ADDRESS.split(':').pop())];
        const s = express().disable('x-powered-by').use(createMetricsRouter(metrics)).listen(port, host, () => logger.info({ address: config.METRICS_ADDRESS }, 'metrics listening'));
        return applyServerLimits(s, { ...DEFAULT_SERVER_LIMITS, maxConnections: 16 });
      })()
    : undefined;

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api draining');
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
    force.unref();
    metricsServer?.close();
    server.close(() => {
      clearTimeout(force);
      void client.connection.close().finally(() => logger.info('api stopped'));
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
