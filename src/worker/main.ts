import { NativeConnection, Runtime, DefaultLogger, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import { loadConfig } from '../config';
import { chargeRates } from '../config/charge-rates';
import { loadConnections } from '../gateways/connections';
import { chargeloopDataConverter } from '../temporal/codec/data-converter';
import { createWorkerActivities, merchantEndpointOf } from './activities';
import { workflowBundlerOptions } from './bundle-options';
import { SubscriptionWorkers } from './subscription-workers';
import { WorkerLogger } from './worker-logger';

/**
 * Worker process: runs subscription workflows and their activities, and polls every connection's charge queue at
 * its rate, until SIGINT/SIGTERM, then drains.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const connections = loadConnections();
  const debug = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
  const logger = new WorkerLogger(new DefaultLogger(debug ? 'DEBUG' : 'INFO'));
  // The Runtime turns these signals into a graceful worker shutdown: no new tasks, in-flight activities get shutdownGraceTime.
  const shutdownSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const signal of shutdownSignals) process.once(signal, () => logger.beginShutdown());
  Runtime.install({
    logger,
    shutdownSignals,
    telemetryOptions: {
      // Core's own lines (gRPC retries, poll errors) through the same logger, so its token and expected-warning rules
      // apply to them too; without `forward` Core prints straight to stderr. Same levels as the SDK's default filter.
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: debug ? 'DEBUG' : 'WARN', other: 'ERROR' }) },
      ...(config.WORKER_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } : {}),
    },
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> = config.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: require.resolve('../workflows'), bundlerOptions: workflowBundlerOptions() };
    const workers = await SubscriptionWorkers.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      // The same codec as the API's client: the worker decrypts inputs and encrypts results and activity payloads.
      dataConverter: chargeloopDataConverter(config),
      ...workflows,
      activities: createWorkerActivities({ connections, merchantEndpoint: merchantEndpointOf(config) }),
      shutdownGraceTime: config.SHUTDOWN_GRACE_MS,
      ...(config.WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS } : {}),
    }, chargeRates(connections));
    const rates = workers.charges.map((w) => `${w.options.taskQueue} ${w.options.maxTaskQueueActivitiesPerSecond}/s`).join(', ');
    console.log(`worker polling task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}; charges: ${rates || 'no connections'}`);
    await workers.run();
    console.log('worker stopped');
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
