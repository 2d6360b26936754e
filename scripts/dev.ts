import { resolve } from 'node:path';
import { loadConfig } from '../src/config';
import { startDevStack } from './dev/stack';
import { devTemporalPorts, temporalBinary } from './dev/temporal-server';

// npm run dev: the embedded default stack in the foreground (scripts/dev/stack.ts). Every child runs in its own
// process group so that Ctrl-C reaches only this script, which stops them in order (API first, Temporal last).
const root = resolve(__dirname, '..');
const config = loadConfig();
const dataDir = resolve(root, '.data');
// The embedded default talks to the local gateway sandbox unless the user configured real connections.
const connectionsFile = process.env.GATEWAY_CONNECTIONS_FILE ?? resolve(root, 'sandbox/connections.json');
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4010);
const uiPort = Number(new URL(config.TEMPORAL_UI_URL).port || 8233);

async function main(): Promise<void> {
  const stack = await startDevStack({
    dataDir,
    // Its own file per server version: the schema belongs to the server that created it.
    sqliteFile: resolve(dataDir, `temporal-${temporalBinary('server-version')}.sqlite`),
    connectionsFile,
    ports: { temporal: devTemporalPorts(Number(config.TEMPORAL_ADDRESS.split(':').pop())), api: config.API_PORT, sandbox: sandboxPort, ui: uiPort, codec: config.CODEC_SERVER_PORT },
    namespace: config.TEMPORAL_NAMESPACE,
    // Off when scripts/dev.sh could not obtain the UI server: no second build attempt here.
    ui: process.env.CHARGELOOP_DEV_UI !== 'off',
    output: 'prefixed',
  });
  for (const p of stack.processes) {
    p.onUnexpectedExit = (code, signal) => {
      console.error(`[${p.spec.name}] exited unexpectedly (${signal ?? code}); stopping the stack`);
      void stopAll(1);
    };
  }
  stopStack = stack.stop;
  const codec = `http://${config.CODEC_SERVER_HOST}:${config.CODEC_SERVER_PORT}`;
  console.log(
    [
      '',
      'Chargeloop is running:',
      `  API           ${stack.apiUrl}   (GET /readyz, POST /v1/subscriptions; test clocks: docs/test-clocks.md)`,
      `  Temporal UI   ${stack.uiUrl ? `${stack.uiUrl}/namespaces/${stack.namespace}/workflows` : '(not available: see the ui line above)'}`,
      `  Temporal gRPC ${stack.temporalAddress}   (server v${temporalBinary('server-version')}, data in .data/, time skipping enabled)`,
      `  Codec server  ${codec}   (decrypts payloads for the UI; CLI: --codec-endpoint ${codec})`,
      `  API metrics   http://${config.METRICS_ADDRESS || `${config.API_HOST}:${config.API_PORT}`}/metrics`,
      `  Gateway sandbox ${stack.sandboxUrl}   (hosted checkout, test cards: sandbox/README.md)`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

let stopStack: (() => Promise<void>) | undefined;
let stopping = false;
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  await stopStack?.();
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  void stopAll(1);
});
