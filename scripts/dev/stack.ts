import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { SUBSCRIPTIONS_TASK_QUEUE } from '../../src/shared/task-queues';
import { ManagedProcess, waitFor, type ProcessSpec } from '../cluster/process';
import { devTemporalProcess, prepareNamespace, temporalBinary, type DevTemporalPorts } from './temporal-server';

const root = resolve(__dirname, '../..');

export interface DevStackPorts {
  temporal: DevTemporalPorts;
  api: number;
  sandbox: number;
  /** The Temporal UI server and Chargeloop's codec server; only when `ui` is on. */
  ui?: number;
  codec?: number;
}

export interface DevStackOptions {
  dataDir: string;
  ports: DevStackPorts;
  /** Where the server keeps its SQLite database (npm run dev: .data/temporal-<version>.sqlite, kept between runs). */
  sqliteFile: string;
  /** The connections file the worker, the API and the sandbox share (its base URLs on `ports.sandbox`). */
  connectionsFile: string;
  namespace?: string;
  /** Start the Temporal UI server (decoding through the codec server); skipped with a message if it cannot be built. */
  ui?: boolean;
  output: 'prefixed' | 'files';
  appEnv?: NodeJS.ProcessEnv;
  sandboxEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface DevStack {
  temporalAddress: string;
  namespace: string;
  apiUrl: string;
  sandboxUrl: string;
  uiUrl: string | undefined;
  connection: Connection;
  processes: ManagedProcess[];
  /** Stops in order: API and sandbox, worker, UI and codec, Temporal last. */
  stop(): Promise<void>;
}

const httpOk = async (url: string): Promise<boolean> => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/**
 * The embedded default topology, one process each: Temporal server v1.32.2 on SQLite (per-execution time skipping
 * on), optionally the UI and codec server, the gateway sandbox, one worker, one API. npm run dev and the test-clock
 * tier both start it, so the tests exercise what a developer runs.
 */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const { ports, dataDir } = options;
  const namespace = options.namespace ?? 'default';
  const log = options.log ?? ((line: string) => console.log(line));
  const logDir = resolve(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const output = (name: string): ProcessSpec['output'] => (options.output === 'prefixed' ? 'prefixed' : { file: resolve(logDir, `${name}.log`) });
  const temporalAddress = `127.0.0.1:${ports.temporal.frontend}`;
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const codecUrl = ports.codec ? `http://127.0.0.1:${ports.codec}` : undefined;
  const uiUrl = options.ui && ports.ui ? `http://127.0.0.1:${ports.ui}` : undefined;
  const started: ManagedProcess[] = [];
  let connection: Connection | undefined;

  const appEnv: NodeJS.ProcessEnv = {
    TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: namespace, GATEWAY_CONNECTIONS_FILE: options.connectionsFile,
    API_HOST: '127.0.0.1', API_PORT: String(ports.api), PUBLIC_BASE_URL: apiUrl,
    ...(uiUrl ? { TEMPORAL_UI_URL: uiUrl } : {}),
    ...(codecUrl ? { CODEC_SERVER_HOST: '127.0.0.1', CODEC_SERVER_PORT: String(ports.codec) } : {}),
    ...options.appEnv,
  };
  // node --import tsx, not the tsx CLI: one process per component, so stopping it stops the program itself.
  const tsNode = (name: string, entry: string, env: NodeJS.ProcessEnv): ManagedProcess =>
    new ManagedProcess({ name, command: process.execPath, args: ['--import', 'tsx', entry], cwd: root, env: { ...process.env, ...env }, output: output(name) });
  const launch = (p: ManagedProcess): ManagedProcess => {
    p.start();
    started.push(p);
    return p;
  };

  const stop = async (): Promise<void> => {
    // The worker drains before Temporal stops: against a stopped server it would retry every report it still holds
    // (a warning each, and a lost result per activity). Temporal's own orderly-stop lines stay out of the terminal
    // (temporal-shutdown-noise.ts); its log file, in 'files' mode, keeps them.
    const order = ['api', 'sandbox', 'worker', 'ui', 'codec', 'temporal'];
    for (const name of order) await Promise.all(started.filter((p) => p.spec.name === name).map((p) => p.stop('SIGTERM', 15_000)));
    await connection?.close().catch(() => undefined);
    for (const p of started) p.closeLog();
  };

  try {
    const temporal = launch(devTemporalProcess({ ports: ports.temporal, sqliteFile: options.sqliteFile, output: output('temporal') }));
    const prepared = await prepareNamespace(temporalAddress, namespace, () => temporal.running);
    connection = prepared.connection;
    log(`temporal   ${temporalAddress} namespace ${namespace} (server v${temporalBinary('server-version')} on ${options.sqliteFile}; time skipping on; search attributes ${prepared.added.length ? `added: ${prepared.added.join(', ')}` : 'present'})`);

    if (codecUrl) {
      const codec = launch(tsNode('codec', 'src/temporal/codec/server-main.ts', appEnv));
      await waitFor('codec', async () => (await fetch(codecUrl, { signal: AbortSignal.timeout(2000) }).then(() => true)), { timeoutMs: 60_000, alive: () => codec.running });
    }
    if (uiUrl) await startUi(uiUrl);

    const sandbox = launch(tsNode('sandbox', 'sandbox/main.ts', { SANDBOX_PORT: String(ports.sandbox), SANDBOX_CONNECTIONS_FILE: options.connectionsFile, CHARGELOOP_URL: apiUrl, ...options.sandboxEnv }));
    await waitFor('sandbox', () => httpOk(`${sandboxUrl}/__sandbox/health`), { alive: () => sandbox.running });

    const worker = launch(tsNode('worker', 'src/worker/main.ts', appEnv));
    const api = launch(tsNode('api', 'src/api/main.ts', appEnv));
    const taskQueue = appEnv.TEMPORAL_TASK_QUEUE ?? SUBSCRIPTIONS_TASK_QUEUE;
    await waitFor('worker', async () => {
      const res = await connection!.workflowService.describeTaskQueue({
        namespace, taskQueue: { name: taskQueue }, taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return (res.pollers ?? []).some((p) => p.identity?.startsWith(`${worker.pid}@`));
    }, { timeoutMs: 180_000, intervalMs: 500, alive: () => worker.running });
    await waitFor('api', () => httpOk(`${apiUrl}/readyz`), { timeoutMs: 60_000, alive: () => api.running });
    return { temporalAddress, namespace, apiUrl, sandboxUrl, uiUrl, connection, processes: started, stop };
  } catch (err) {
    await stop();
    throw err;
  }

  /** The UI server v2.56.4 (scripts/temporal.sh ui) pointed at the server and at the codec server for payloads. */
  async function startUi(url: string): Promise<void> {
    let binary: string;
    try {
      binary = temporalBinary('ui');
    } catch {
      log('ui         not available (scripts/temporal.sh ui could not obtain the UI server); continuing without it');
      return;
    }
    const uiRoot = resolve(dataDir, 'ui');
    mkdirSync(resolve(uiRoot, 'config'), { recursive: true });
    const codec = codecUrl ? `codec:\n  endpoint: ${codecUrl}\n  passAccessToken: false\n  includeCredentials: false\n` : '';
    writeFileSync(
      resolve(uiRoot, 'config/development.yaml'),
      `temporalGrpcAddress: ${temporalAddress}\nport: ${ports.ui}\nenableUi: true\ndefaultNamespace: ${namespace}\npublicPath:\ncors:\n  allowOrigins: []\n${codec}`,
    );
    const ui = launch(new ManagedProcess({ name: 'ui', command: binary, args: ['--root', uiRoot, '--config', 'config', '--env', 'development', 'start'], cwd: root, env: process.env, output: output('ui') }));
    await waitFor('ui', () => httpOk(url), { timeoutMs: 30_000, alive: () => ui.running });
    log(`ui         ${url}/namespaces/${namespace}/workflows (payloads decoded by ${codecUrl ?? 'no codec server'})`);
  }
}
