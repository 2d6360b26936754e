import express from 'express';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import { createLogger } from '../../src/api/logging';
import { createApiMetrics } from '../../src/api/metrics';
import { loadConfig } from '../../src/config';
import { loadConnections } from '../../src/gateways/connections';
import { BARE_ROUTE } from './bare-route';
import { baselineRoutes } from './baseline-routes';

import { createTemporalClient } from '../../src/temporal/client';
import { PageTokens } from '../../src/temporal/page-token';
import { SubscriptionsFacade } from '../../src/temporal/subscriptions';

/**
 * The bench's API process: the production app exactly as src/api/main.ts wires it, behind one extra bare route
 * in the same process, so "webhook vs bare route" compares two routes sharing one event loop and one CPU, and the
 * activation baseline's bare create, checkout and webhook routes (baseline-routes.ts).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const client = await createTemporalClient(config);
  const pageTokens = PageTokens.derivedFrom(config.codec.keys.find((k) => k.id === config.codec.currentKeyId)!.key);
  const temporal = new SubscriptionsFacade({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, pageTokens });
  const app = createApp({ config, temporal, connections: loadConnections(), publicBaseUrl: config.PUBLIC_BASE_URL, logger, metrics: createApiMetrics() });
  const outer = express();
  outer.disable('x-powered-by');
  outer.post(BARE_ROUTE, (_req, res) => void res.status(200).end());
  outer.use(baselineRoutes(client));
  outer.use(app);
  const server = outer.listen(config.API_PORT, config.API_HOST, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`BENCH API READY on ${port}`);
  });
  const stop = (): void => {
    server.close(() => void client.connection.close().finally(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
