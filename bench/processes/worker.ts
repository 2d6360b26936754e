import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { chargeRates } from '../../src/config/charge-rates';
import { loadConnections } from '../../src/gateways/connections';
import { chargeloopDataConverter } from '../../src/temporal/codec/data-converter';
import { createWorkerActivities, merchantEndpointOf } from '../../src/worker/activities';
import { workflowBundlerOptions } from '../../src/worker/bundle-options';
import { SubscriptionWorkers } from '../../src/worker/subscription-workers';
import { BASELINE_TASK_QUEUE } from '../task-queues';
import { baselineGatewayActivities } from './baseline-gateway';

/**
 * The bench's worker process: the production worker's wiring (src/worker/main.ts: same workflows, same activities
 * over the same gateway connections, each connection's charge queue at its configured rate), and a second worker on
 * its own task queue for the baseline workflow, bundled separately from src/workflows. One process, so both share
 * the CPU the same way. The storm starts a second such process (bench/stack.ts `addWorker`).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const connections = loadConnections();
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const [real, baseline] = await Promise.all([
      SubscriptionWorkers.create(
        {
          connection,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowsPath: require.resolve('../../src/workflows'),
          bundlerOptions: workflowBundlerOptions(),
          // The API's client encrypts (src/temporal/client.ts): the production worker's codec, as in src/worker/main.ts.
          dataConverter: chargeloopDataConverter(config),
          activities: createWorkerActivities({ connections, merchantEndpoint: merchantEndpointOf(config) }),
          shutdownGraceTime: '2s',
        },
        chargeRates(connections),
      ),
      Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: BASELINE_TASK_QUEUE,
        workflowsPath: require.resolve('../workflows'),
        dataConverter: chargeloopDataConverter(config),
        activities: baselineGatewayActivities(process.env.BENCH_PEER_URL),
        shutdownGraceTime: '2s',
      }),
    ]);
    // The sticky cache bounds how many workflows stay in memory; the memory scenario reports it beside its figures.
    console.log(`BENCH WORKER READY maxCachedWorkflows=${real.main.options.maxCachedWorkflows}`);
    await Promise.all([real.run(), baseline.run()]);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
