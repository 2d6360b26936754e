import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msToTs } from '@temporalio/common/lib/time';
import { allocatePorts, startCluster, type Cluster } from '../../scripts/cluster/topology';
import type { LedgerView } from '../../sandbox/ledger';
import type { Gateway } from '../../src/shared/gateway-policy';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import type { SubscriptionView } from '../../src/shared/state';
import { TEST_API_KEYS } from '../helpers/api';
import { createBody } from '../helpers/api-requests';

export interface TestCluster {
  cluster: Cluster;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The production topology on free ports in a temp dir: PostgreSQL (fsync off: only processes are killed here, never
 * the machine), the Temporal server on it, two workers, two API replicas behind the balancer, the sandbox.
 */
export async function startTestCluster(): Promise<TestCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chargeloop-cluster-'));
  // mkdtemp makes it private; PostgreSQL runs as the postgres user when we are root and must reach its data below.
  chmodSync(dataDir, 0o755);
  try {
    const cluster = await startCluster({
      dataDir,
      ports: await allocatePorts(2),
      workers: 2,
      output: 'files',
      postgresArgs: ['-c', 'fsync=off', '-c', 'synchronous_commit=off'],
      appEnv: { NODE_ENV: 'test', API_KEYS: JSON.stringify(TEST_API_KEYS), SHUTDOWN_GRACE_MS: '3000' },
      // 1/100: Flutterwave's three webhook retries 30 min apart span 54 s, enough to outlast a server restart.
      sandboxEnv: { SANDBOX_TIME_SCALE: '0.01', SANDBOX_DUPLICATE_PROBABILITY: '0.05', SANDBOX_SEED: '14' },
      log: () => undefined,
    });
    return {
      cluster,
      dataDir,
      stop: async () => {
        await cluster.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    // Keep the logs of a failed start for the reader; say where they are.
    throw new Error(`cluster failed to start (logs in ${dataDir}/logs): ${err instanceof Error ? err.message : String(err)}`);
  }
}

let n = 0;
/** A create body for the sandbox connection `<gateway>-sandbox`, billed daily (the shortest interval there is). */
export function clusterBody(gateway: Gateway, label: string): Record<string, unknown> & { id: string } {
  n += 1;
  const id = `cl-${label}-${process.pid % 10000}-${n}`;
  const base = createBody({
    id,
    customer: { id: `cus-${id}`, email: `${id}@example.com`, firstName: 'Ada', lastName: 'Obi', phone: '+919876543210' },
    gatewayConnectionId: `${gateway}-sandbox`,
  });
  return { ...base, id, plan: { ...(base.plan as object), currency: gateway === 'razorpay' ? 'INR' : 'NGN', interval: 'day' } };
}

export async function ledger(cluster: Cluster): Promise<LedgerView> {
  const res = await fetch(`${cluster.sandboxUrl}/__sandbox/ledger`);
  if (!res.ok) throw new Error(`ledger answered ${res.status}`);
  return (await res.json()) as LedgerView;
}

/**
 * Lets one subscription's workflow skip `ms` of virtual time on the real server (per-execution time skipping,
 * Temporal v1.32): timers fire at once, activities still run in real time against the sandbox.
 */
export async function fastForward(cluster: Cluster, subscriptionId: string, ms: number): Promise<void> {
  await cluster.connection.workflowService.updateWorkflowExecutionOptions({
    namespace: cluster.namespace,
    workflowExecution: { workflowId: subscriptionWorkflowId(subscriptionId) },
    workflowExecutionOptions: { timeSkippingConfig: { enabled: true, fastForwardConfig: { id: `ff-${subscriptionId}-${Date.now()}`, duration: msToTs(ms) } } },
    updateMask: { paths: ['time_skipping_config'] },
  });
}

/** Successful charges per subscription and cycle, from the subscription's own view. */
export const succeededCharges = (view: SubscriptionView): string[] => view.charges.filter((c) => c.outcome === 'succeeded').map((c) => c.reference);
