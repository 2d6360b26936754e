import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config';
import { createTemporalClient } from '../temporal/client';
import { GATEWAYS, type Gateway } from '../shared/gateway-policy';
import { createApp } from './app';

/** API process: serves the app, and on SIGINT/SIGTERM finishes in-flight requests before closing Temporal. */
async function main(): Promise<void> {
  const config = loadConfig();
  const temporal = await createTemporalClient(config);
  // Until gateway connections are configurable, the sandbox connections `<gateway>-sandbox` are the only ones.
  const gatewayOf = (id: string): Gateway | undefined => GATEWAYS.find((g) => id === `${g}-sandbox`);
  const app = createApp({ config, temporal, gatewayOf });
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    const { address, port } = server.address() as AddressInfo;
    console.log(`api listening on http://${address}:${port}`);
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`api: ${signal}, draining`);
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      void temporal.connection.close().finally(() => console.log('api stopped'));
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
