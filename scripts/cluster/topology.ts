import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { SUBSCRIPTIONS_TASK_QUEUE } from '../../src/shared/task-queues';
import { startBalancer, type Balancer } from './balancer';
import { freePorts } from './ports';
import { ManagedProcess, waitFor, type ProcessSpec } from './process';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');

/** Every port the cluster listens on. Temporal's membership ports must stay below 32768 (a smallint column). */
export interface ClusterPorts {
  postgres: number;
  frontend: number;
  frontendMembership: number;
  frontendHttp: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  ui: number;
  sandbox: number;
  balancer: number;
  apis: number[];
}

/** How many of each the topology runs (npm run cluster, the cluster tier; docker-compose's replicas match). */
export const REPLICAS = { workers: 2, apis: 2 } as const;

/** The environment every worker and API replica gets from the topology (docker-compose sets the same names). */
export function appEnvironment(temporalAddress: string, namespace: string, connectionsFile: string): NodeJS.ProcessEnv {
  return { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: namespace, GATEWAY_CONNECTIONS_FILE: connectionsFile };
}

/**
 * The cluster's payload encryption key, made once per data directory and kept beside its data (mode 0600): the
 * workers and API replicas encrypt as in production, and a second run can still read the first run's histories.
 */
export function clusterCodecKeys(dataDir: string): string {
  const file = resolve(dataDir, 'codec-keys');
  if (!existsSync(file)) writeFileSync(file, `cluster:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** `npm run cluster`'s fixed ports: clear of the dev stack (7233, 8233, 3000, 4010) so both can run at once. */
export function defaultPorts(apis: number = REPLICAS.apis): ClusterPorts {
  return {
    postgres: 25432, frontend: 27233, frontendMembership: 26933, frontendHttp: 27243, history: 27234, historyMembership: 26934,
    matching: 27235, matchingMembership: 26935, worker: 27239, workerMembership: 26939, ui: 28233, sandbox: 24010, balancer: 23000,
    apis: Array.from({ length: apis }, (_, i) => 23001 + i),
  };
}

export async function allocatePorts(apis: number = REPLICAS.apis): Promise<ClusterPorts> {
  const p = await freePorts(13 + apis);
  const take = (): number => p.shift()!;
  return {
    postgres: take(), frontend: take(), frontendMembership: take(), frontendHttp: take(), history: take(), historyMembership: take(),
    matching: take(), matchingMembership: take(), worker: take(), workerMembership: take(), ui: take(), sandbox: take(), balancer: take(),
    apis: Array.from({ length: apis }, take),
  };
}

export interface ClusterOptions {
  dataDir: string;
  ports: ClusterPorts;
  workers?: number;
  /** Start the Temporal UI server when it can be obtained (scripts/temporal.sh ui); the cluster runs without it otherwise. */
  ui?: boolean;
  /** 'prefixed': children's output on stdout (npm run cluster); 'files': one log per child in dataDir/logs. */
  output?: 'prefixed' | 'files';
  /** Extra postmaster settings, e.g. ['-c', 'fsync=off'] where only processes (never the machine) are killed. */
  postgresArgs?: string[];
  namespace?: string;
  /** Environment for the worker and API processes (API_KEYS, NODE_ENV, SHUTDOWN_GRACE_MS, …). */
  appEnv?: NodeJS.ProcessEnv;
  sandboxEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface Cluster {
  ports: ClusterPorts;
  namespace: string;
  temporalAddress: string;
  /** The load balancer in front of the API replicas: what merchants and gateways call. */
  apiUrl: string;
  apiUrls: string[];
  sandboxUrl: string;
  uiUrl: string | undefined;
  balancer: Balancer;
  postgres: ManagedProcess;
  temporal: ManagedProcess;
  sandbox: ManagedProcess;
  ui: ManagedProcess | undefined;
  workers: ManagedProcess[];
  apis: ManagedProcess[];
  /** The connections file the worker, the API and the sandbox share (the sandbox's accounts on its port). */
  connectionsFile: string;
  connection: Connection;
  waitTemporalReady(timeoutMs?: number): Promise<void>;
  /** Starts worker i (again) and waits until it polls the task queue. */
  startWorker(i: number): Promise<void>;
  /** Starts API replica i (again) and waits until /readyz answers 200. */
  startApi(i: number): Promise<void>;
  /** Stops everything in order: gateways' sandbox, API replicas, workers, UI, Temporal, PostgreSQL. */
  stop(): Promise<void>;
}

const binary = (kind: 'server' | 'ui'): string =>
  execFileSync('bash', [resolve(root, 'scripts/temporal.sh'), kind], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

const httpOk = async (url: string): Promise<boolean> => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/** The sandbox's accounts (sandbox/connections.json) with their base URLs moved to the cluster's sandbox port. */
function writeConnections(file: string, sandboxPort: number): void {
  const text = readFileSync(resolve(root, 'sandbox/connections.json'), 'utf8').replace(/http:\/\/127\.0\.0\.1:\d+\//g, `http://127.0.0.1:${sandboxPort}/`);
  writeFileSync(file, text);
}

/** PostgreSQL and the Temporal server on it, with the namespace and search attributes ready: the cluster's core. */
export interface TemporalOnPostgres {
  namespace: string;
  temporalAddress: string;
  postgres: ManagedProcess;
  temporal: ManagedProcess;
  connection: Connection;
  waitTemporalReady(timeoutMs?: number): Promise<void>;
}

type Launch = (p: ManagedProcess) => ManagedProcess;
type Spec = (name: string, command: string, args: string[], env?: NodeJS.ProcessEnv) => ProcessSpec;

/**
 * Starts PostgreSQL (initdb once, schemas up to date), the full Temporal server on it (persistence and SQL
 * visibility), registers the namespace and the search attributes. Used by the cluster and by `npm run bench --
 * --server=cluster`; `launch` records each process so the caller's stop reaches it.
 */
export async function startTemporalOnPostgres(o: {
  dataDir: string; ports: Pick<ClusterPorts, 'postgres' | 'frontend' | 'frontendMembership' | 'frontendHttp' | 'history' | 'historyMembership' | 'matching' | 'matchingMembership' | 'worker' | 'workerMembership'>;
  namespace: string; spec: Spec; launch: Launch; log: (line: string) => void; postgresArgs?: string[];
}): Promise<TemporalOnPostgres> {
  const { dataDir, ports, namespace, spec, launch, log } = o;
  const temporalAddress = `127.0.0.1:${ports.frontend}`;
  // PostgreSQL: initdb once, then the postmaster in the foreground as our child.
  const pgDir = resolve(dataDir, 'postgres');
  await run('bash', [resolve(root, 'scripts/postgres.sh'), 'init', pgDir]);
  const pgBin = (await run('bash', [resolve(root, 'scripts/postgres.sh'), 'bin'])).stdout.trim();
  const postgres = launch(new ManagedProcess(spec('postgres', 'bash', [resolve(root, 'scripts/postgres.sh'), 'run', pgDir, String(ports.postgres), ...(o.postgresArgs ?? [])])));
  await waitFor('postgres', async () => (await run(resolve(pgBin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(ports.postgres)]).then(() => true)), { alive: () => postgres.running });
  await run('bash', [resolve(root, 'scripts/postgres.sh'), 'schema', String(ports.postgres)], { maxBuffer: 64 * 1024 * 1024 });
  log(`postgres   127.0.0.1:${ports.postgres} (data in ${pgDir}; schemas up to date)`);

  // Temporal server, persistence and SQL visibility on that PostgreSQL.
  const temporal = launch(
    new ManagedProcess(
      spec('temporal', binary('server'), ['--config-file', resolve(root, 'config/temporal/cluster.yaml'), '--allow-no-auth', 'start'], {
        POSTGRES_PORT: String(ports.postgres),
        TEMPORAL_FRONTEND_PORT: String(ports.frontend), TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership), TEMPORAL_FRONTEND_HTTP_PORT: String(ports.frontendHttp),
        TEMPORAL_HISTORY_PORT: String(ports.history), TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
        TEMPORAL_MATCHING_PORT: String(ports.matching), TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
        TEMPORAL_WORKER_PORT: String(ports.worker), TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
        TEMPORAL_DYNAMIC_CONFIG_FILE: resolve(root, 'config/temporal/dynamicconfig.yaml'),
      }),
    ),
  );
  const waitTemporalReady = async (timeoutMs = 90_000): Promise<void> => {
    await waitFor('temporal', async () => {
      const probe = await Connection.connect({ address: temporalAddress, connectTimeout: '2s' });
      try {
        await probe.workflowService.getSystemInfo({});
        // The namespace registry answers once the history and matching services joined the ring.
        await probe.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return true;
      } finally {
        await probe.close();
      }
    }, { timeoutMs, intervalMs: 500, alive: () => temporal.running });
  };
  await waitFor('temporal', async () => {
    const probe = await Connection.connect({ address: temporalAddress, connectTimeout: '2s' });
    await probe.workflowService.getSystemInfo({}).finally(() => void probe.close());
    return true;
  }, { timeoutMs: 90_000, intervalMs: 500, alive: () => temporal.running });
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') });
    } catch (err) {
      if ((err as { code?: number }).code !== 6) throw err; // ALREADY_EXISTS: a second run keeps its data
    }
    await waitTemporalReady();
    const added = await registerSearchAttributes(connection, namespace);
    // New attributes reach the frontend's cache a little after they are added; a query naming one proves it.
    await waitFor('search attributes', async () => {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query: 'Gateway = "paystack" AND NextChargeAt > "2000-01-01T00:00:00Z"' });
      return true;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    log(`temporal   ${temporalAddress} namespace ${namespace} (v${execFileSync('bash', [resolve(root, 'scripts/temporal.sh'), 'server-version'], { encoding: 'utf8' }).trim()}; search attributes ${added.length ? `added: ${added.join(', ')}` : 'present'})`);
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
  return { namespace, temporalAddress, postgres, temporal, connection, waitTemporalReady };
}

/** Starts PostgreSQL, the Temporal server on it, the sandbox, workers and API replicas; stops what it started on failure. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { dataDir, ports } = options;
  const namespace = options.namespace ?? 'default';
  const output = options.output ?? 'files';
  const log = options.log ?? ((line: string) => console.log(line));
  const logDir = resolve(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const started: ManagedProcess[] = [];
  let balancer: Balancer | undefined;
  let connection: Connection | undefined;

  const spec: Spec = (name, command, args, env = {}) => ({
    name, command, args, cwd: root, env: { ...process.env, ...env }, output: output === 'prefixed' ? 'prefixed' : { file: resolve(logDir, `${name}.log`) },
  });
  const tsNode = (name: string, entry: string, env: NodeJS.ProcessEnv): ManagedProcess =>
    // node --import tsx, not the tsx CLI: one process, so a SIGKILL ends the program itself and not a wrapper.
    new ManagedProcess(spec(name, process.execPath, ['--import', 'tsx', entry], env));
  const launch: Launch = (p) => {
    p.start();
    if (!started.includes(p)) started.push(p);
    return p;
  };

  const stopAll = async (): Promise<void> => {
    const order = (name: string): number => ['sandbox', 'api', 'worker', 'ui', 'temporal', 'postgres'].findIndex((n) => name.startsWith(n));
    const groups = new Map<number, ManagedProcess[]>();
    for (const p of started) groups.set(order(p.spec.name), [...(groups.get(order(p.spec.name)) ?? []), p]);
    await balancer?.close();
    for (const key of [...groups.keys()].sort((a, b) => a - b)) {
      await Promise.all(groups.get(key)!.map((p) => p.stop(p.spec.name === 'postgres' ? 'SIGINT' : 'SIGTERM', 15_000)));
    }
    await connection?.close().catch(() => undefined);
    for (const p of started) p.closeLog();
  };

  try {
    const core = await startTemporalOnPostgres({ dataDir, ports, namespace, spec, launch, log, ...(options.postgresArgs ? { postgresArgs: options.postgresArgs } : {}) });
    const { postgres, temporal, temporalAddress, waitTemporalReady } = core;
    connection = core.connection;

    // The UI is optional: an operator convenience, not part of what the tests exercise.
    let ui: ManagedProcess | undefined;
    let uiUrl: string | undefined;
    if (options.ui) {
      let uiBinary: string | undefined;
      try {
        uiBinary = binary('ui');
      } catch {
        log('ui         not available (scripts/temporal.sh ui failed to obtain the UI server); continuing without it');
      }
      if (uiBinary) {
        const uiRoot = resolve(dataDir, 'ui');
        mkdirSync(resolve(uiRoot, 'config'), { recursive: true });
        writeFileSync(resolve(uiRoot, 'config/cluster.yaml'), `temporalGrpcAddress: ${temporalAddress}\nport: ${ports.ui}\nenableUi: true\ndefaultNamespace: ${namespace}\npublicPath:\ncors:\n  allowOrigins: []\n`);
        ui = launch(new ManagedProcess(spec('ui', uiBinary, ['--root', uiRoot, '--config', 'config', '--env', 'cluster', 'start'])));
        uiUrl = `http://127.0.0.1:${ports.ui}`;
        await waitFor('ui', () => httpOk(uiUrl!), { timeoutMs: 30_000, alive: () => ui!.running });
        log(`ui         ${uiUrl}/namespaces/${namespace}/workflows`);
      }
    }

    // The balancer first: the sandbox sends its webhooks there, as a gateway sends them to the public endpoint.
    const apiUrls = ports.apis.map((p) => `http://127.0.0.1:${p}`);
    balancer = await startBalancer(apiUrls, ports.balancer);
    const connectionsFile = resolve(dataDir, 'connections.json');
    writeConnections(connectionsFile, ports.sandbox);
    const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
    const sandbox = launch(
      tsNode('sandbox', 'sandbox/main.ts', { SANDBOX_PORT: String(ports.sandbox), SANDBOX_CONNECTIONS_FILE: connectionsFile, CHARGELOOP_URL: balancer.url, ...options.sandboxEnv }),
    );
    await waitFor('sandbox', () => httpOk(`${sandboxUrl}/__sandbox/health`), { alive: () => sandbox.running });
    log(`sandbox    ${sandboxUrl} (webhooks → ${balancer.url})`);

    // One bundle for every worker start: webpack at each of a hundred restarts would dominate a chaos run.
    const bundle = resolve(dataDir, 'workflow-bundle.js');
    await run(process.execPath, ['--import', 'tsx', resolve(root, 'scripts/bundle-workflows.ts'), bundle], { cwd: root });
    const appEnv: NodeJS.ProcessEnv = { ...appEnvironment(temporalAddress, namespace, connectionsFile), CODEC_KEYS: clusterCodecKeys(dataDir), LOG_LEVEL: 'warn', ...options.appEnv };
    const workers = Array.from({ length: options.workers ?? REPLICAS.workers }, (_, i) => tsNode(`worker-${i + 1}`, 'src/worker/main.ts', { ...appEnv, WORKFLOW_BUNDLE_PATH: bundle }));
    const apis = ports.apis.map((port, i) => tsNode(`api-${i + 1}`, 'src/api/main.ts', { ...appEnv, API_HOST: '127.0.0.1', API_PORT: String(port), PUBLIC_BASE_URL: balancer!.url }));
    const taskQueue = appEnv.TEMPORAL_TASK_QUEUE ?? SUBSCRIPTIONS_TASK_QUEUE;

    const startWorker = async (i: number): Promise<void> => {
      const w = launch(workers[i]!);
      const pid = w.pid;
      // Ready when the server sees this very process (identity `<pid>@<host>`) polling the task queue.
      await waitFor(w.spec.name, async () => {
        const res = await connection!.workflowService.describeTaskQueue({
          namespace, taskQueue: { name: taskQueue }, taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        return (res.pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`));
      }, { timeoutMs: 90_000, intervalMs: 300, alive: () => w.running });
    };
    const startApi = async (i: number): Promise<void> => {
      const a = launch(apis[i]!);
      await waitFor(a.spec.name, () => httpOk(`${apiUrls[i]}/readyz`), { timeoutMs: 60_000, intervalMs: 200, alive: () => a.running });
    };
    await Promise.all(workers.map((_, i) => startWorker(i)));
    log(`workers    ${workers.length} on task queue ${taskQueue}`);
    await Promise.all(apis.map((_, i) => startApi(i)));
    log(`api        ${balancer.url} (load balancer) → ${apiUrls.join(', ')}`);

    return {
      ports, namespace, temporalAddress, apiUrl: balancer.url, apiUrls, sandboxUrl, uiUrl, balancer, postgres, temporal, sandbox, ui, workers, apis,
      connectionsFile, connection, waitTemporalReady, startWorker, startApi, stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
