import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../src/shared/search-attributes';

// Orchestrates the embedded default stack. Children run in their own process groups so that Ctrl-C reaches only
// this script, which then stops them in order: API and worker drain first, the Temporal server goes last.
const root = resolve(__dirname, '..');
const config = loadConfig();
const temporalPort = Number(config.TEMPORAL_ADDRESS.split(':').pop());
const uiPort = Number(new URL(config.TEMPORAL_UI_URL).port || 8233);
const dataDir = resolve(root, '.data');
const tsx = resolve(root, 'node_modules/.bin/tsx');
// The embedded default talks to the local gateway sandbox unless the user configured real connections.
if (!process.env.GATEWAY_CONNECTIONS && !process.env.GATEWAY_CONNECTIONS_FILE) {
  process.env.GATEWAY_CONNECTIONS_FILE = resolve(root, 'sandbox/connections.json');
}
const codecEndpoint = `http://${config.CODEC_SERVER_HOST}:${config.CODEC_SERVER_PORT}`;
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4010);
const children: { name: string; proc: ChildProcess }[] = [];

function start(name: string, cmd: string, args: string[]): ChildProcess {
  const proc = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: process.env });
  const prefix = (line: string): string => `[${name}] ${line}`;
  for (const stream of [proc.stdout, proc.stderr]) {
    let buf = '';
    stream?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) console.log(prefix(line));
    });
  }
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(prefix(`exited unexpectedly (${signal ?? code}); stopping the stack`));
      void stopAll(1);
    }
  });
  children.push({ name, proc });
  return proc;
}

async function waitForTemporal(deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const conn = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '1s' });
      await conn.close();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const exited = (proc: ChildProcess): Promise<void> =>
  proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', () => r()));

let stopping = false;
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  const server = children.find((c) => c.name === 'temporal');
  const apps = children.filter((c) => c !== server);
  for (const { proc } of apps) if (proc.pid) process.kill(-proc.pid, 'SIGTERM');
  await Promise.race([Promise.all(apps.map((c) => exited(c.proc))), new Promise((r) => setTimeout(r, config.SHUTDOWN_GRACE_MS + 2000))]);
  if (server?.proc.pid) {
    process.kill(-server.proc.pid, 'SIGTERM');
    await Promise.race([exited(server.proc), new Promise((r) => setTimeout(r, 5000))]);
  }
  for (const { proc } of children) if (proc.pid && proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid, 'SIGKILL');
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const cli = process.env.TEMPORAL_CLI_PATH ?? 'temporal';
  start('temporal', cli, [
    'server', 'start-dev',
    '--ip', '127.0.0.1', '--port', String(temporalPort), '--ui-port', String(uiPort),
    '--db-filename', resolve(dataDir, 'temporal.sqlite'),
    '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL',
    '--log-level', 'warn',
    // The UI decodes payloads (encrypted by the codec) through Chargeloop's codec server, started below.
    '--ui-codec-endpoint', codecEndpoint,
    // Registered on start; on a second run the attributes already exist and the server keeps them.
    ...Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ]);
  await waitForTemporal(30_000);
  start('codec', tsx, ['src/temporal/codec/server-main.ts']);
  start('sandbox', tsx, ['sandbox/main.ts']);
  start('worker', tsx, ['src/worker/main.ts']);
  start('api', tsx, ['src/api/main.ts']);
  console.log(
    [
      '',
      'Chargeloop is starting:',
      `  API           http://${config.API_HOST}:${config.API_PORT}   (GET /readyz, POST /v1/subscriptions)`,
      `  Temporal UI   ${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows`,
      `  Temporal gRPC ${config.TEMPORAL_ADDRESS}   (data in .data/temporal.sqlite)`,
      `  Codec server  ${codecEndpoint}   (decrypts payloads for the UI; CLI: --codec-endpoint ${codecEndpoint})`,
      `  API metrics   http://${config.METRICS_ADDRESS || `${config.API_HOST}:${config.API_PORT}`}/metrics`,
      `  Gateway sandbox http://127.0.0.1:${sandboxPort}   (hosted checkout, test cards: sandbox/README.md)`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch((err: unknown) => {
  console.error(err);
  void stopAll(1);
});
