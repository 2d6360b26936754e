import { z } from 'zod';

/**
 * Bench sizes, from the environment (`BENCH_N=50 npm run bench`) or `--key=value` flags (`npm run bench -- --n=50`).
 * Defaults are the issue's: N = 1,000 concurrent subscriptions, memory at 1,000 and 10,000 open subscriptions.
 */
const count = z.coerce.number().int().positive();
const BenchConfigSchema = z.object({
  /** Concurrent subscriptions in the activation scenario (and its baseline). */
  n: count.default(1000),
  /** Subscriptions whose first renewal falls on the same instant. */
  stormN: count.default(1000),
  /** The per-gateway charge limit the worker honours in the storm: Paystack's 1,200 charge_authorization / min. */
  stormRatePerSecond: z.coerce.number().positive().default(20),
  /** Webhooks per measurement (full path, bare route, raw signals), each driven with `webhookConnections` in flight. */
  webhooks: count.default(3000),
  webhookConnections: count.default(32),
  /** Open-subscription levels for the memory scenario, comma-separated, ascending. */
  memoryLevels: z
    .string()
    .default('1000,10000')
    .transform((s) => s.split(',').map((x) => count.parse(x.trim())).sort((a, b) => a - b)),
  /** Client-side concurrency when creating and paying subscriptions (the subscriptions themselves are all concurrent). */
  clientConcurrency: count.default(32),
  /** Hard limit for the whole run; every wait in the bench gives up past it. */
  timeoutMinutes: z.coerce.number().positive().default(30),
  resultsDir: z.string().optional(),
  /**
   * The Temporal server the stack runs on: `dev` (the CLI's dev server on SQLite) or `cluster` (the full server v1.32
   * on PostgreSQL, as `npm run cluster` runs it). Each baseline runs on the same server as what it is compared with.
   */
  server: z.enum(['dev', 'cluster']).default('dev'),
});
export type BenchConfig = z.output<typeof BenchConfigSchema>;

const ENV_NAMES: Record<string, string> = {
  n: 'BENCH_N',
  stormN: 'BENCH_STORM_N',
  stormRatePerSecond: 'BENCH_STORM_RATE',
  webhooks: 'BENCH_WEBHOOKS',
  webhookConnections: 'BENCH_WEBHOOK_CONNECTIONS',
  memoryLevels: 'BENCH_MEMORY_LEVELS',
  clientConcurrency: 'BENCH_CLIENT_CONCURRENCY',
  timeoutMinutes: 'BENCH_TIMEOUT_MINUTES',
  resultsDir: 'BENCH_RESULTS_DIR',
  server: 'BENCH_SERVER',
};

export function loadBenchConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const raw: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) if (env[name]) raw[key] = env[name];
  for (const arg of argv) {
    const m = /^--([a-zA-Z]+)=(.*)$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}; use --key=value with one of ${Object.keys(ENV_NAMES).join(', ')}`);
    if (!(m[1]! in ENV_NAMES)) throw new Error(`unknown option --${m[1]}; one of ${Object.keys(ENV_NAMES).join(', ')}`);
    raw[m[1]!] = m[2]!;
  }
  return BenchConfigSchema.parse(raw);
}
