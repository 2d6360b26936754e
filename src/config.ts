import { z } from 'zod';
import { SUBSCRIPTIONS_TASK_QUEUE } from './shared/task-queues';

const port = z.coerce.number().int().min(0).max(65535);
// `Boolean('false')` is true; parse the words people actually write.
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

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
  JSON_LOGS: flag.default(true),
});

export type Config = Readonly<z.infer<typeof EnvSchema>>;

/** Thrown with one line per bad variable, naming it, so a misconfigured process fails at start-up. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
