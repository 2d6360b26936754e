import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DataConverter } from '@temporalio/common';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createLogger } from '../../src/api/logging';
import { chargeRates } from '../../src/config/charge-rates';
import type { GatewayConnections } from '../../src/gateways/connections';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { createWorkerActivities } from '../../src/worker/activities';
import { SubscriptionWorkers } from '../../src/worker/subscription-workers';
import { createSandbox, type Sandbox } from '../../sandbox/app';
import { testApp } from './api';
import { uniqueTaskQueue } from './environments';
import { testConnections } from './gateway-connections';

/** Everything a customer and an operator touch, each the real component, wired over real HTTP. */
export interface Stack {
  /** Base URL of Chargeloop's API, e.g. http://127.0.0.1:41234 */
  apiUrl: string;
  sandbox: Sandbox;
  sandboxUrl: string;
  /** The connections the API and the worker use, pointing at the sandbox. */
  connections: GatewayConnections;
  taskQueue: string;
  /** The worker (real activities) on `taskQueue` and its connections' charge queues: stop it, or start it again on another server. */
  worker: WorkerControl;
  /** Subscriptions created through this stack; terminated at close. */
  subscriptionIds: string[];
  /** Stop in reverse order: the API stops taking webhooks, the worker drains, the sandbox stops redelivering. */
  close(): Promise<void>;
}

export interface StackOptions {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
  /** Sandbox webhook duplicates; 0 keeps the delivery log exact. */
  duplicateProbability?: number;
  /** The connections for a sandbox at a URL (unset: the sandbox's own keys); defaults to the `<gateway>-test` ones. */
  connectionsAt?: (sandboxUrl?: string) => GatewayConnections;
  /** The API's Temporal client; defaults to env.client. Give one of its own to outlive `env` (a server restart). */
  temporal?: Client;
  /** The worker's data converter (e.g. Chargeloop's codec); the API's comes with `temporal`. Default: none. */
  dataConverter?: DataConverter;
  /** The API's logger; default silent. */
  logger?: Logger;
}

export interface WorkerControl {
  start(env: TestWorkflowEnvironment): Promise<void>;
  stop(): Promise<void>;
}

function workerControl(bundle: WorkflowBundleWithSourceMap, taskQueue: string, connections: GatewayConnections, dataConverter?: DataConverter): WorkerControl {
  let current: { workers: SubscriptionWorkers; running: Promise<void> } | undefined;
  const stop = async (): Promise<void> => {
    if (!current) return;
    current.workers.shutdown();
    await current.running;
    current = undefined;
  };
  return {
    start: async (env) => {
      await stop();
      const workers = await SubscriptionWorkers.create(
        {
          connection: env.nativeConnection,
          taskQueue,
          workflowBundle: bundle,
          activities: createWorkerActivities({ connections }),
          ...(dataConverter ? { dataConverter } : {}),
        },
        chargeRates(connections),
      );
      current = { workers, running: workers.run() };
    },
    stop,
  };
}

async function terminateIfRunning(temporal: Client, workflowId: string): Promise<void> {
  try {
    await temporal.workflow.getHandle(workflowId).terminate('end of test');
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

export const listen = (server: Server): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });

export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/**
 * The sandbox (in-process, port 0, webhook retries scaled to almost nothing), Chargeloop's app wired as
 * src/api/main.ts wires it (over the sandbox connections) listening on port 0, and a worker
 * with the real activities (createWorkerActivities) on a task queue of its own.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { env, bundle } = options;
  const temporal = options.temporal ?? env.client;
  const connectionsAt = options.connectionsAt ?? testConnections;
  let apiUrl = '';
  // The sandbox must exist before the app's URL is known: webhooks go wherever the API ends up listening.
  const sandbox = createSandbox({
    connections: connectionsAt(),
    webhookUrlFor: (c) => (apiUrl ? `${apiUrl}/webhooks/${c.gateway}/${c.id}` : undefined),
    timeScale: 0.0001,
    duplicateProbability: options.duplicateProbability ?? 0,
    seed: 11,
  });
  const sandboxUrl = await sandbox.listen(0);
  const connections = connectionsAt(sandboxUrl);
  const taskQueue = uniqueTaskQueue('e2e');
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const server = testApp(temporal, taskQueue, { connections, checkConnection: undefined, logger }).listen(0, '127.0.0.1');
  apiUrl = await listen(server);

  const worker = workerControl(bundle, taskQueue, connections, options.dataConverter);
  await worker.start(env);
  const subscriptionIds: string[] = [];
  return {
    subscriptionIds,
    apiUrl,
    sandbox,
    sandboxUrl,
    connections,
    taskQueue,
    worker,
    close: async () => {
      // The sandbox first: its in-flight deliveries finish (and their signals with them) before the API goes.
      await sandbox.close();
      await closeServer(server);
      // A workflow left running with no worker holds a pending task, which stops the time-skipping server's clock.
      await Promise.all(subscriptionIds.map((id) => terminateIfRunning(temporal, subscriptionWorkflowId(id))));
      await worker.stop();
    },
  };
}
