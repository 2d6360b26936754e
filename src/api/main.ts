import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config';
import { loadConnections } from '../gateways/connections';
import { createTemporalClient } from '../temporal/client';
import { createApp } from './app';
import { createGatewayApiDeps } from './gateway-wiring';
import { createLogger } from './logging';
import { createApiMetrics } from './metrics';

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
  const temporal = await createTemporalClient(config);
  const metrics = createApiMetrics();
  // gatewayOf, the connection-aware gateway rules, and the webhooks and gateways routers, over one set of connections.
  const gatewayDeps = createGatewayApiDeps({ connections, temporal, publicBaseUrl: config.PUBLIC_BASE_URL, logger });
  const app = createApp({ config, temporal, logger, metrics, ...gatewayDeps });
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    const { address, port } = server.address() as AddressInfo;
    logger.info({ address, port }, `api listening on http://${address}:${port}`);
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api draining');
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      void temporal.connection.close().finally(() => logger.info('api stopped'));
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
