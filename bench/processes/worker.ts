import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { z } from 'zod';
import { loadConfig } from '../../src/config';
import { loadConnections } from '../../src/gateways/connections';
import { chargeloopDataConverter } from '../../src/temporal/codec/data-converter';
import { createWorkerActivities } from '../../src/worker/activities';
import { workflowBundlerOptions } from '../../src/worker/bundle-options';
import { BASELINE_TASK_QUEUE } from '../task-queues';
import { gcOnSignal } from './gc-on-signal';
import { withChargeLimits } from './rate-limited-activities';

gcOnSignal();

/**
 * The bench's worker process: the production worker's wiring (src/worker/main.ts: same workflows, same activities
 * over the same gateway connections) plus a per-connection charge limit, and a second worker on its own task queue
 * for the baseline workflow, bundled separately from src/workflows. One process, so both share the CPU the same way.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const limits = z.record(z.string(), z.number().positive()).parse(JSON.parse(process.env.BENCH_RATE_LIMITS ?? '{}'));
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const [real, baseline] = await Promise.all([
      Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowsPath: require.resolve('../../src/workflows'),
        bundlerOptions: workflowBundlerOptions(),
        // The API's client encrypts (src/temporal/client.ts): the production worker's codec, as in src/worker/main.ts.
        dataConverter: chargeloopDataConverter(config),
        activities: withChargeLimits(createWorkerActivities({ connections: loadConnections() }), limits),
        shutdownGraceTime: '2s',
      }),
      Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: BASELINE_TASK_QUEUE,
        workflowsPath: require.resolve('../workflows'),
        dataConverter: chargeloopDataConverter(config),
        activities: { noop: () => Promise.resolve() },
        shutdownGraceTime: '2s',
      }),
    ]);
    // The sticky cache bounds how many workflows stay in memory; the memory scenario reports it beside its figures.
    console.log(`BENCH WORKER READY maxCachedWorkflows=${real.options.maxCachedWorkflows}`);
    await Promise.all([real.run(), baseline.run()]);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
