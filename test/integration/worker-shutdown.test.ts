import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { DEV_CODEC_KEYS } from '../../src/temporal/codec/codec-keys';
import { chargeloopDataConverter } from '../../src/temporal/codec/data-converter';
import { bearer, testApp } from '../helpers/api';
import { createBody, newKey } from '../helpers/api-requests';
import { createDevServerEnv, uniqueTaskQueue } from '../helpers/environments';
import { poll } from '../helpers/poll';

const root = resolve(__dirname, '../..');
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
/** A warning as the worker prints it: the SDK's DefaultLogger (`… [WARN] …`) or Core's own console format (`… WARN …`). */
const isWarning = (line: string): boolean => /^\S+\s+(\[WARN\]|WARN)\s/.test(line.replace(ANSI, ''));

/** The production worker entry (src/worker/main.ts) as its own process, its output collected line by line. */
function startWorkerProcess(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    lines,
    polling: async (): Promise<void> => {
      const seen = await poll(() => lines.some((l) => l.startsWith('worker polling task queue')), (ok) => ok, { timeoutMs: 90_000, intervalMs: 200 });
      if (!seen) throw new Error(`the worker did not start polling:\n${lines.join('\n')}`);
    },
    /** SIGINT, as Ctrl-C sends it; the exit code, killing the process if it takes longer than `boundMs`. */
    interrupt: async (boundMs: number): Promise<{ code: number | null; after: string[] }> => {
      const from = lines.length;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
      const code = await exited;
      clearTimeout(timer);
      await new Promise((r) => setTimeout(r, 100)); // the last chunks after 'exit'
      return { code, after: lines.slice(from) };
    },
    kill: () => child.kill('SIGKILL'),
  };
}

/** The worker's environment: the dev server, a task queue of its own, gateway connections from `connectionsFile`. */
const workerEnv = (env: TestWorkflowEnvironment, taskQueue: string, connectionsFile: string): NodeJS.ProcessEnv => ({
  NODE_ENV: 'development', LOG_LEVEL: 'info', TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue,
  GATEWAY_CONNECTIONS_FILE: connectionsFile, WORKER_METRICS_ADDRESS: '', SHUTDOWN_GRACE_MS: '1000',
});

/** The sandbox connections with every gateway base URL moved to `port`. */
function connectionsOn(port: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'chargeloop-shutdown-')), 'connections.json');
  writeFileSync(file, readFileSync(resolve(root, 'sandbox/connections.json'), 'utf8').replace(/http:\/\/127\.0\.0\.1:\d+\//g, `http://127.0.0.1:${port}/`));
  return file;
}

describe('worker process shutdown', () => {
  it('an orderly SIGINT prints no warning at all, start to finish, and one line at shutdown', async () => {
    const env = await createDevServerEnv();
    const worker = startWorkerProcess(workerEnv(env, uniqueTaskQueue('shutdown'), resolve(root, 'sandbox/connections.json')));
    try {
      await worker.polling();
      const { code, after } = await worker.interrupt(30_000);
      expect(code).toBe(0);
      expect(worker.lines.filter(isWarning)).toEqual([]);
      // A few lines at most: before, every worker's STOPPING, DRAINING, DRAINED and STOPPED (80 lines in npm run dev).
      expect(after).toEqual(['worker stopped']);
    } finally {
      worker.kill();
      await env.teardown();
    }
  });

  it('Ctrl-C reaching the server and the worker at once, an activity in flight: only the activity\'s own warnings', async () => {
    // A gateway that accepts the connection and never answers: the checkout activity is in flight until its timeout.
    const held: Socket[] = [];
    const gateway: Server = createServer((s) => void held.push(s));
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
    const gatewayPort = (gateway.address() as { port: number }).port;
    const env = await createDevServerEnv();
    const taskQueue = uniqueTaskQueue('shutdown');
    const worker = startWorkerProcess(workerEnv(env, taskQueue, connectionsOn(gatewayPort)));
    const client = new Client({ connection: env.connection, dataConverter: chargeloopDataConverter({ codec: DEV_CODEC_KEYS }) });
    let serverUp = true;
    try {
      await worker.polling();
      const created = await request(testApp(client, taskQueue, { checkoutWaitMs: 200 }))
        .post('/v1/subscriptions').set('authorization', bearer()).set('idempotency-key', newKey('shutdown')).send(createBody());
      expect(created.status).toBe(201);
      const handle = client.workflow.getHandle(subscriptionWorkflowId((created.body as { id: string }).id));
      const inFlight = await poll(async () => (await handle.describe()).raw.pendingActivities?.length ?? 0, (n) => n > 0 && held.length > 0, { timeoutMs: 20_000, intervalMs: 200 });
      expect(inFlight).toBe(1);

      const stopping = worker.interrupt(90_000);
      serverUp = false;
      await env.teardown(); // the same Ctrl-C stops the server
      const { code, after } = await stopping;
      expect(code).toBe(0);
      // News, at most once each: the gateway call timed out ("Activity failed") and, if the worker is still there to
      // say so, its result could not be reported. Not news: Core's retries of that report (5-9 lines before the fix)
      // and each worker's failed ShutdownWorker call (4 lines).
      const warnings = after.filter(isWarning).map((l) => l.replace(ANSI, '').replace(/^\S+\s+/, '').replace(/ \{$/, ''));
      const news = ['[WARN] Activity failed', '[WARN] Network error while completing activity'];
      expect(warnings.filter((w) => !news.includes(w))).toEqual([]);
      expect(new Set(warnings).size).toBe(warnings.length);
    } finally {
      worker.kill();
      for (const s of held) s.destroy();
      gateway.close();
      if (serverUp) await env.teardown();
    }
  });
});
