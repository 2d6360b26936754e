import { loadConfig } from '../../config';
import { applyServerLimits, DEFAULT_SERVER_LIMITS } from '../../api/server-limits';
import { createCodecServerApp } from './codec-server';
import { codecFromConfig } from './data-converter';

/** The codec server process (`npm run codec-server`; started by `npm run dev` and docker-compose). */
function main(): void {
  const config = loadConfig();
  if (config.apiKeys.length === 0) throw new Error('API_KEYS: is required outside NODE_ENV=development (operators authenticate to the codec server with a read key)');
  const allowedOrigins = (config.CODEC_CORS_ORIGINS ?? new URL(config.TEMPORAL_UI_URL).origin).split(',').map((o) => o.trim()).filter(Boolean);
  const app = createCodecServerApp({
    codec: codecFromConfig(config),
    apiKeys: config.apiKeys,
    allowedOrigins,
    trustAllowedOriginsWithoutToken: config.NODE_ENV === 'development' || config.CODEC_TRUST_UI_ORIGIN === 'true',
  });
  const server = applyServerLimits(
    app.listen(config.CODEC_SERVER_PORT, config.CODEC_SERVER_HOST, () =>
      console.log(`codec server listening on http://${config.CODEC_SERVER_HOST}:${config.CODEC_SERVER_PORT} for ${allowedOrigins.join(', ')}`),
    ),
    { ...DEFAULT_SERVER_LIMITS, maxConnections: 256 },
  );
  const stop = (): void => void server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
