import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { ManagedProcess, waitFor, type ProcessSpec } from '../cluster/process';
import { temporalShutdownNoise } from './temporal-shutdown-noise';

const root = resolve(__dirname, '../..');

/** The full server's listeners on SQLite: one process runs all four services, each with a gRPC and a membership port. */
export interface DevTemporalPorts {
  frontend: number;
  frontendMembership: number;
  frontendHttp: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/**
 * npm run dev's ports, laid out around the frontend's as the server module's own development config lays them out
 * around 7233 (7234 history, 7235 matching, 7239 worker, 7243 HTTP, 6933-6939 membership): moving TEMPORAL_ADDRESS
 * moves them all, so two stacks never share an internal port.
 */
export const devTemporalPorts = (frontend: number): DevTemporalPorts => ({
  frontend, history: frontend + 1, matching: frontend + 2, worker: frontend + 6, frontendHttp: frontend + 10,
  frontendMembership: frontend - 300, historyMembership: frontend - 299, matchingMembership: frontend - 298, workerMembership: frontend - 294,
});

export const temporalBinary = (kind: 'server' | 'ui' | 'server-version'): string =>
  execFileSync('bash', [resolve(root, 'scripts/temporal.sh'), kind], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

/** The Temporal server v1.32.2 (the cluster's binary) on a SQLite file, with the dynamic config that enables time skipping. */
export function devTemporalProcess(opts: { ports: DevTemporalPorts; sqliteFile: string; output: ProcessSpec['output'] }): ManagedProcess {
  const { ports } = opts;
  return new ManagedProcess({
    name: 'temporal',
    command: temporalBinary('server'),
    args: ['--config-file', resolve(root, 'config/temporal/dev.yaml'), '--allow-no-auth', 'start'],
    cwd: root,
    output: opts.output,
    quietWhileStopping: temporalShutdownNoise(ports),
    env: {
      ...process.env,
      TEMPORAL_SQLITE_FILE: opts.sqliteFile,
      TEMPORAL_FRONTEND_PORT: String(ports.frontend), TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership), TEMPORAL_FRONTEND_HTTP_PORT: String(ports.frontendHttp),
      TEMPORAL_HISTORY_PORT: String(ports.history), TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
      TEMPORAL_MATCHING_PORT: String(ports.matching), TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
      TEMPORAL_WORKER_PORT: String(ports.worker), TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
      TEMPORAL_DYNAMIC_CONFIG_FILE: resolve(root, 'config/temporal/dynamicconfig.yaml'),
    },
  });
}

/**
 * Waits for the server, registers the namespace (kept on a second run) and Chargeloop's search attributes, and
 * returns once a query naming them is accepted. Returns the attributes it added (empty when they were there).
 */
export async function prepareNamespace(address: string, namespace: string, alive: () => boolean): Promise<{ connection: Connection; added: string[] }> {
  await waitFor('temporal', async () => {
    const probe = await Connection.connect({ address, connectTimeout: '2s' });
    await probe.workflowService.getSystemInfo({}).finally(() => void probe.close());
    return true;
  }, { timeoutMs: 90_000, intervalMs: 300, alive });
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') });
  } catch (err) {
    if ((err as { code?: number }).code !== 6) throw err; // ALREADY_EXISTS: a second run keeps its data
  }
  // The namespace registry answers once history and matching joined the ring and the namespace cache refreshed.
  await waitFor('namespace', async () => {
    await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
    return true;
  }, { timeoutMs: 60_000, intervalMs: 300, alive });
  const added = await registerSearchAttributes(connection, namespace);
  await waitFor('search attributes', async () => {
    await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query: 'Gateway = "paystack" AND NextChargeAt > "2000-01-01T00:00:00Z"' });
    return true;
  }, { timeoutMs: 60_000, intervalMs: 300, alive });
  return { connection, added };
}
