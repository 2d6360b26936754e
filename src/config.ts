import { z } from 'zod';
import { ApiKeysSchema, DEV_API_KEYS } from './api/auth/api-keys';
import { SUBSCRIPTIONS_TASK_QUEUE } from './shared/task-queues';
import { DEV_CODEC_KEYS, parseCodecKeys, type CodecSettings } from './temporal/codec/codec-keys';

const port = z.coerce.number().int().min(0).max(65535);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(SUBSCRIPTIONS_TASK_QUEUE),
  /** Temporal Web UI base, only used to print links. */
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** Public base URL of the API, used to show gateway webhook URLs. */
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prometheus endpoint of the worker's Temporal runtime metrics; empty disables it. */
  WORKER_METRICS_ADDRESS: z.string().default(''),
  /** Worker bundles workflows from source unless a prebuilt bundle path is given (production images). */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Workflows the worker keeps in memory (Temporal's sticky cache). A cached subscription costs ~1–2 MiB of worker
   * RSS (bench/README.md); subscriptions sleep for weeks, so an evicted one just replays its (bounded) history when
   * its timer fires. Unset: the SDK's default, sized from the heap limit.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /**
   * API keys as JSON: `[{ "name": "billing-svc", "sha256": "<hex of the key>", "scopes": ["read", "write"] }]`.
   * Only hashes are configured, so the environment never holds a usable key. Unset in development means the
   * documented dev key (see docs/api.md); unset elsewhere means no keys, and the API refuses to start.
   */
  API_KEYS: z.string().optional(),
  /** The merchant backend's endpoint for signed events; empty means events are recorded and skipped. */
  /**
   * Payload encryption keys as `id:base64,id:base64` (each 32 random bytes, e.g. `openssl rand -base64 32`). Every
   * configured key decrypts; CODEC_KEY_ID (default: the last listed) encrypts. Unset in development means a fixed,
   * public dev key; unset elsewhere stops the process (customer data would otherwise sit in clear in histories).
   */
  CODEC_KEYS: z.string().optional(),
  CODEC_KEY_ID: z.string().optional(),
  /** Where the codec server (Temporal UI / CLI remote codec) listens. */
  CODEC_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
  CODEC_SERVER_PORT: port.default(8888),
  /** Origins allowed to call the codec server from a browser (comma-separated); default: the Temporal UI's. */
  CODEC_CORS_ORIGINS: z.string().optional(),
  /**
   * Accept codec requests from CODEC_CORS_ORIGINS without a token (a UI without login cannot send one). Always on in
   * development; elsewhere only for a local stack (docker-compose).
   */
  CODEC_TRUST_UI_ORIGIN: z.enum(['true', 'false']).default('false'),
  /** Where the API's /metrics listens (`host:port`); empty serves /metrics on the API listener instead. */
  METRICS_ADDRESS: z.string().default('127.0.0.1:9091'),
  /** HMAC key for page tokens (16+ chars); unset derives one from the newest codec key. */
  PAGE_TOKEN_KEY: z.string().min(16).optional(),
  /** Longest any /v1 route waits on Temporal before answering 503 with Retry-After. */
  API_TEMPORAL_DEADLINE_MS: z.coerce.number().int().positive().default(15_000),
  /** Concurrent connections the API accepts (server.maxConnections). */
  API_MAX_CONNECTIONS: z.coerce.number().int().positive().default(1024),
  MERCHANT_WEBHOOK_URL: z.union([z.url(), z.literal('')]).default(''),
  /** Standard Webhooks signing secret (`whsec_` + base64); required when MERCHANT_WEBHOOK_URL is set. */
  MERCHANT_WEBHOOK_SECRET: z.preprocess(
    (v) => (v === '' ? undefined : v), // compose passes unset variables as empty strings
    z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'must be a Standard Webhooks secret: whsec_ followed by base64').optional(),
  ),
});

const ConfigSchema = EnvSchema.transform((env, ctx) => {
  const { API_KEYS, CODEC_KEYS, CODEC_KEY_ID, ...rest } = env;
  let codec: CodecSettings;
  if (CODEC_KEYS === undefined || CODEC_KEYS.trim() === '') {
    if (env.NODE_ENV !== 'development') {
      ctx.addIssue({ code: 'custom', path: ['CODEC_KEYS'], message: 'is required outside NODE_ENV=development: id:base64 of 32 random bytes, comma-separated for rotation' });
      return z.NEVER;
    }
    codec = DEV_CODEC_KEYS;
  } else {
    const parsed = parseCodecKeys(CODEC_KEYS, CODEC_KEY_ID);
    if (typeof parsed === 'string') {
      // Never echo the value: it is key material.
      ctx.addIssue({ code: 'custom', path: [parsed.startsWith('CODEC_KEY_ID') ? 'CODEC_KEY_ID' : 'CODEC_KEYS'], message: parsed.replace(/^CODEC_KEY_ID /, '') });
      return z.NEVER;
    }
    codec = parsed;
  }
  let apiKeys = DEV_API_KEYS;
  if (API_KEYS !== undefined && API_KEYS.trim() !== '') {
    let raw: unknown;
    try {
      raw = JSON.parse(API_KEYS);
    } catch {
      // Never echo the value: it is configuration that may be mistaken for a secret.
      ctx.addIssue({ code: 'custom', path: ['API_KEYS'], message: 'must be a JSON array of { name, sha256, scopes }' });
      return z.NEVER;
    }
    const parsed = ApiKeysSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['API_KEYS', ...i.path.map(String)], message: i.message });
      return z.NEVER;
    }
    apiKeys = parsed.data;
  } else if (env.NODE_ENV !== 'development') {
    // The worker shares this config and needs no keys; the API refuses to start without any (src/api/main.ts).
    apiKeys = [];
  }
  if (env.MERCHANT_WEBHOOK_URL !== '' && env.MERCHANT_WEBHOOK_SECRET === undefined) {
    ctx.addIssue({ code: 'custom', path: ['MERCHANT_WEBHOOK_SECRET'], message: 'is required when MERCHANT_WEBHOOK_URL is set' });
    return z.NEVER;
  }
  return { ...rest, apiKeys, codec };
});

export type Config = Readonly<z.output<typeof ConfigSchema>>;

/** Thrown with one line per bad variable, naming it, so a misconfigured process fails at start-up. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
