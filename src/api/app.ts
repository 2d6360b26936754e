import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Gateway } from '../shared/gateway-policy';
import { errorHandler, notFoundHandler } from './middleware/errors';
import { createHealthRouter } from './routes/health';
import { createSubscriptionsRouter } from './routes/subscriptions';

export interface AppDeps {
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>;
  temporal: Client;
  gatewayOf: (connectionId: string) => Gateway | undefined;
  log?: (err: unknown, msg: string) => void;
}

/** The HTTP app, without listen(): tests drive it with supertest, server.ts serves it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use(createHealthRouter({ temporal: deps.temporal }));
  // JSON only on the REST routes: webhook routes need the raw bytes to verify signatures.
  app.use('/v1', express.json({ limit: '100kb', strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(createSubscriptionsRouter({ temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE, gatewayOf: deps.gatewayOf }));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log ?? ((err, msg) => console.error(msg, err))));
  return app;
}
