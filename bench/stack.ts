import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../src/shared/search-attributes';
import { allocatePorts, startTemporalOnPostgres } from '../scripts/cluster/topology';
import type { ManagedProcess } from '../scripts/cluster/process';
import { freePort } from './lib/ports';
import { progress } from './lib/progress';
import { sleep } from './lib/wait';
import { DEV_CODEC_KEYS } from '../src/temporal/codec/codec-keys';
import { chargeloopDataConverter } from '../src/temporal/codec/data-converter';

const root = resolve(__dirname, '..');

/** The connection the renewal storm bills through: same sandbox keys, its own `chargesPerSecond` (the storm's limit). */
export const STORM_CONNECTION_ID = 'paystack-storm';
export const ACTIVATION_CONNECTION_ID = 'paystack-sandbox';
/** The memory scenario's subscriptions, on their own connection so visibility queries (and cleanup) find only them. */
export const MEMORY_CONNECTION_ID = 'paystack-memory';
/** The bench's merchant signing secret (Standard Webhooks format); a fixed development value, like the codec's dev keys. */
const BENCH_MERCHANT_SECRET = `whsec_${Buffer.from('chargeloop-bench-merchant-secret').toString('base64')}`;
/** The SQLite durability trade-off, reported with the results (the TS SDK's own CI uses the same pragmas). */
export const SQLITE_PRAGMAS = ['journal_mode=WAL', 'synchronous=OFF'];

export interface Stack {
  client: Client;
  temporalAddress: string;
  apiUrl: string;
  sandboxUrl: string;
  pids: { temporal: number; worker: number; api: number; sandbox: number; peer: number };
  /** The subscription worker's sticky-cache size (the SDK default scales with the heap limit). */
  workerMaxCachedWorkflows: number;
  /** Starts one more worker process like the first (the storm runs on two); resolves with its pid once it polls. */
  addWorker(): Promise<number>;
  /**
   * Stops the first worker process and starts a fresh one in its place (`pids.worker` follows), so a memory reading
   * starts from a process that has never held workflows: no cache, and no memory freed by earlier ones to reuse.
   */
  replaceWorker(): Promise<void>;
  stop(): Promise<void>;
}

interface Child {
  name: string;
  proc: ChildProcess;
  ready: Promise<void>;
  output: () => string;
}

/**
 * Starts the Temporal dev server (SQLite file in a temp dir), then the sandbox, worker and API as separate processes
 * (so each one's resident memory can be read from /proc), and waits until each says it is ready.
 * Children run in their own process groups: stop() reaches them and everything they spawned.
 */
export interface StackOptions {
  stormRatePerSecond: number;
  /** `dev`: the CLI's dev server on SQLite; `cluster`: the full server on PostgreSQL (scripts/cluster/topology.ts). */
  server?: 'dev' | 'cluster';
  onUnexpectedExit: (name: string) => void;
  /** Receives the stop function before anything is spawned, so a Ctrl-C during start-up stops what has started. */
  onStopReady?: (stop: () => Promise<void>) => void;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'chargeloop-bench-'));
  const children: Child[] = [];
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let server: PostgresServer | undefined;
  /** Children stopped on purpose while the stack runs (a replaced worker): their exit is not a crash. */
  const retired = new Set<Child>();

  const start = (name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, readyLine?: RegExp): Child => {
    const proc = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } });
    let tail = '';
    const ready = new Promise<void>((resolveReady, reject) => {
      if (!readyLine) resolveReady();
      const onData = (chunk: Buffer): void => {
        tail = (tail + chunk.toString()).slice(-4000);
        if (readyLine?.test(tail)) resolveReady();
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', (code, signal) => {
        reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${tail}`));
        if (!stopping && !retired.has(child)) options.onUnexpectedExit(`${name} (${signal ?? code}): ${tail.slice(-1000)}`);
      });
    });
    const child = { name, proc, ready, output: () => tail };
    children.push(child);
    return child;
  };

  const exited = (c: Child): Promise<void> =>
    c.proc.exitCode !== null || c.proc.signalCode !== null ? Promise.resolve() : new Promise((r) => c.proc.once('exit', () => r()));
  // Every caller (Ctrl-C, a failing scenario, the normal end) awaits the same shutdown, so none exits early.
  const stop = (): Promise<void> => (stopped ??= stopChildren());
  const stopChildren = async (): Promise<void> => {
    stopping = true;
    // Apps first, the server last, as scripts/dev.ts does.
    for (const order of [children.filter((c) => c.name !== 'temporal'), children.filter((c) => c.name === 'temporal')]) {
      for (const c of order) if (c.proc.pid && c.proc.exitCode === null) signalGroup(c.proc.pid, 'SIGTERM');
      await Promise.race([Promise.all(order.map(exited)), sleep(8000)]);
      for (const c of order) if (c.proc.pid && c.proc.exitCode === null && c.proc.signalCode === null) signalGroup(c.proc.pid, 'SIGKILL');
    }
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  options.onStopReady?.(stop);

  try {
    const [temporalPort, httpPort, metricsPort, apiPort, sandboxPort, peerPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const connectionsFile = writeConnections(dir, sandboxUrl, options.stormRatePerSecond);

    if (options.server === 'cluster') server = await startPostgresServer(dir, (name) => (stopping ? undefined : options.onUnexpectedExit(name)));
    const temporalAddress = server?.temporalAddress ?? `127.0.0.1:${temporalPort}`;
    const temporal = server ? null : start('temporal', process.env.TEMPORAL_CLI_PATH ?? execTemporalPath(), [
      'server', 'start-dev', '--headless', '--ip', '127.0.0.1',
      '--port', String(temporalPort), '--http-port', String(httpPort), '--metrics-port', String(metricsPort),
      '--db-filename', join(dir, 'temporal.sqlite'),
      ...SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p]),
      '--log-level', 'error',
      // One partition per task queue: the server splits a queue's rate limit over its partitions, so with the default
      // four a storm's last partition drains alone at a quarter of the rate. A charge queue is small; see README.
      '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
      '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
      ...Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).flatMap(([n, t]) => ['--search-attribute', `${n}=${t}`]),
    ], {});
    if (!server) progress('stack', `temporal dev server on ${temporalAddress} (SQLite ${SQLITE_PRAGMAS.join(', ')}, ${dir})`);
    const connection = await connectWhenUp(temporalAddress, 60_000);
    // The bench's own client reads the subscriptions the API started, so it decrypts with the same (development) key.
    const client = new Client({ connection, dataConverter: chargeloopDataConverter({ codec: DEV_CODEC_KEYS }) });

    const common = {
      NODE_ENV: 'development',
      TEMPORAL_ADDRESS: temporalAddress,
      GATEWAY_CONNECTIONS_FILE: connectionsFile,
      // Request logs would measure the pipe to this process, not Chargeloop; warnings and errors still show.
      LOG_LEVEL: 'warn',
      // Merchant events go to the peer's bare endpoint (processes/peer.ts), signed and POSTed as in production.
      MERCHANT_WEBHOOK_URL: `${peerUrl}/merchant`,
      MERCHANT_WEBHOOK_SECRET: BENCH_MERCHANT_SECRET,
      // The baseline's gateway calls go to the peer too (processes/baseline-gateway.ts).
      BENCH_PEER_URL: peerUrl,
    };
    const tsx = ['--import', 'tsx'];
    // Worker and API can be asked to collect garbage, in every thread, before a memory reading (bench/processes/gc-on-signal.cjs).
    const app = ['--expose-gc', '--require', resolve(root, 'bench/processes/gc-on-signal.cjs'), ...tsx];
    const sandbox = start('sandbox', process.execPath, [...tsx, 'sandbox/main.ts'], {
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_CONNECTIONS_FILE: connectionsFile,
      CHARGELOOP_URL: apiUrl,
      // Duplicates would make the webhook counts depend on the seed; the bench measures the normal path.
      SANDBOX_DUPLICATE_PROBABILITY: '0',
      // Each bench run starts from empty gateway books (no data file carried over from npm run dev).
      SANDBOX_DATA_FILE: '',
    }, /gateway sandbox on/);
    const peer = start('peer', process.execPath, [...tsx, 'bench/processes/peer.ts'], { PEER_PORT: String(peerPort) }, /BENCH PEER READY/);
    // BENCH_API_CPU_PROFILE / BENCH_WORKER_CPU_PROFILE=<dir>: V8 CPU profiles of the API / first worker process (and those replacing it), one
    // file per thread (the worker's workflow threads included), written when it exits at stop. Run with small other
    // scenarios so the webhooks dominate them.
    const cpuProfile = (dir: string | undefined): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(dir)}`] : []);
    const startWorker = (name: string, profile: string[] = []): Child => start(name, process.execPath, [...profile, ...app, 'bench/processes/worker.ts'], common, /BENCH WORKER READY/);
    // The first worker's role (its profile too) passes to the process that replaces it.
    const firstWorker = (): Child => startWorker('worker', cpuProfile(process.env.BENCH_WORKER_CPU_PROFILE));
    let worker = firstWorker();
    const profile = cpuProfile(process.env.BENCH_API_CPU_PROFILE);
    const api = start('api', process.execPath, [...profile, ...app, 'bench/processes/api.ts'], {
      ...common,
      API_PORT: String(apiPort),
      PUBLIC_BASE_URL: apiUrl,
    }, /BENCH API READY/);
    progress('stack', 'starting sandbox, worker (bundles the workflows) and API');
    await Promise.all([sandbox.ready, peer.ready, worker.ready, api.ready]);
    progress('stack', `ready: api ${apiUrl}, sandbox ${sandboxUrl}`);
    const pids = { temporal: server?.pid ?? temporal!.proc.pid!, worker: worker.proc.pid!, api: api.proc.pid!, sandbox: sandbox.proc.pid!, peer: peer.proc.pid! };
    return {
      client,
      temporalAddress,
      apiUrl,
      sandboxUrl,
      workerMaxCachedWorkflows: Number(/maxCachedWorkflows=(\d+)/.exec(worker.output())?.[1] ?? 0),
      pids,
      addWorker: async () => {
        const next = startWorker(`worker-${children.filter((c) => c.name.startsWith('worker') && !retired.has(c)).length + 1}`);
        await next.ready;
        return next.proc.pid!;
      },
      replaceWorker: async () => {
        const old = worker;
        retired.add(old);
        signalGroup(old.proc.pid!, 'SIGTERM');
        await Promise.race([exited(old), sleep(8000)]);
        if (old.proc.exitCode === null && old.proc.signalCode === null) signalGroup(old.proc.pid!, 'SIGKILL');
        await exited(old);
        worker = firstWorker();
        await worker.ready;
        pids.worker = worker.proc.pid!;
      },
      // Children first: closing the connection first would fail the running scenario mid-request.
      stop: async () => {
        await stop();
        await connection.close().catch(() => undefined);
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function execTemporalPath(): string {
  // scripts/temporal.sh resolves (and caches) the CLI; the bench never downloads anything else.
  return execFileSync('bash', [resolve(root, 'scripts/temporal.sh'), 'cli'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** The sandbox's connections on this run's port, plus the storm connection (same keys, its own rate limit). */
function writeConnections(dir: string, sandboxUrl: string, stormRatePerSecond: number): string {
  const base = JSON.parse(readFileSync(resolve(root, 'sandbox/connections.json'), 'utf8')) as Record<string, { baseUrl: string }>;
  const out: Record<string, unknown> = {};
  for (const [id, c] of Object.entries(base)) out[id] = { ...c, baseUrl: c.baseUrl.replace('http://127.0.0.1:4010', sandboxUrl) };
  out[STORM_CONNECTION_ID] = { ...(out[ACTIVATION_CONNECTION_ID] as object), chargesPerSecond: stormRatePerSecond };
  out[MEMORY_CONNECTION_ID] = out[ACTIVATION_CONNECTION_ID];
  const file = join(dir, 'connections.json');
  writeFileSync(file, JSON.stringify(out, null, 2));
  return file;
}

async function connectWhenUp(address: string, timeoutMs: number): Promise<Connection> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await Connection.connect({ address, connectTimeout: '1s' });
    } catch (err) {
      if (Date.now() > until) throw err;
      await sleep(250);
    }
  }
}

/**
 * PostgreSQL and the full Temporal server on it, through the cluster's own start-up (scripts/cluster/topology.ts:
 * same config, schemas, dynamic config and search attributes), in the bench's temp dir.
 */
async function startPostgresServer(dir: string, onUnexpectedExit: (name: string) => void): Promise<PostgresServer> {
  const ports = await allocatePorts(0);
  // mkdtemp makes the bench's dir private; PostgreSQL runs as the postgres user when we are root and must reach its
  // data below it. Traverse only: the connections file beside it stays unreadable to others.
  chmodSync(dir, 0o711);
  const processes: ManagedProcess[] = [];
  const stop = async (): Promise<void> => {
    // Temporal first, then PostgreSQL (SIGINT: its fast shutdown), as the cluster stops them.
    for (const p of [...processes].reverse()) await p.stop(p.spec.name === 'postgres' ? 'SIGINT' : 'SIGTERM', 15_000);
    for (const p of processes) p.closeLog();
  };
  try {
    const core = await startTemporalOnPostgres({
      dataDir: dir,
      ports,
      namespace: 'default',
      spec: (name, command, args, env = {}) => ({ name, command, args, cwd: root, env: { ...process.env, ...env }, output: { file: join(dir, `${name}.log`) } }),
      launch: (p) => {
        p.start();
        p.onUnexpectedExit = (code, signal) => onUnexpectedExit(`${p.spec.name} (${signal ?? code})`);
        processes.push(p);
        return p;
      },
      log: (line) => progress('stack', line.replace(/\s+/g, ' ')),
    });
    await core.connection.close();
    return { temporalAddress: core.temporalAddress, pid: core.temporal.pid!, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface PostgresServer {
  temporalAddress: string;
  pid: number;
  stop(): Promise<void>;
}
