import { resolve } from 'node:path';
import { defaultPorts, REPLICAS, startCluster, type Cluster } from './cluster/topology';

// npm run cluster: PostgreSQL, the Temporal server on it, the UI, two workers, two API replicas behind a load
// balancer, and the gateway sandbox. Fixed ports (scripts/cluster/topology.ts) so bookmarks and curl lines work.
const dataDir = resolve(process.env.CLUSTER_DATA_DIR ?? resolve(__dirname, '../.data/cluster'));
let cluster: Cluster | undefined;
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping the cluster…');
  await cluster?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  cluster = await startCluster({ dataDir, ports: defaultPorts(), workers: REPLICAS.workers, ui: true, output: 'prefixed' });
  for (const p of [cluster.postgres, cluster.temporal, cluster.sandbox, ...cluster.workers, ...cluster.apis, ...(cluster.ui ? [cluster.ui] : [])]) {
    p.onUnexpectedExit = (code, signal) => {
      console.error(`[${p.spec.name}] exited unexpectedly (${signal ?? code}); stopping the cluster`);
      void stop(1);
    };
  }
  console.log(
    [
      '',
      'Chargeloop cluster is up:',
      `  API (balanced) ${cluster.apiUrl}   replicas ${cluster.apiUrls.join(', ')}`,
      `  Temporal UI    ${cluster.uiUrl ? `${cluster.uiUrl}/namespaces/${cluster.namespace}/workflows` : 'not available'}`,
      `  Temporal gRPC  ${cluster.temporalAddress}   (PostgreSQL 127.0.0.1:${cluster.ports.postgres}, data in ${dataDir})`,
      `  Sandbox        ${cluster.sandboxUrl}   (connections: paystack-sandbox, flutterwave-sandbox, razorpay-sandbox)`,
      'Press Ctrl-C to stop; the next run keeps the data.',
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((err: unknown) => {
  console.error(err);
  void stop(1);
});
