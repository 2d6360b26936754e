import { resolve } from 'node:path';
import { z } from 'zod';
import { loadAccounts } from './accounts';
import { createSandbox } from './app';

/** `npx tsx sandbox/main.ts`: the three fake gateways on one port (default 4010). */
const Env = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_PUBLIC_URL: z.url().optional(),
  // Only a file: the sandbox must never pick up a production GATEWAY_CONNECTIONS from the environment by accident.
  SANDBOX_CONNECTIONS_FILE: z.string().default(resolve(__dirname, 'connections.json')),
  CHARGELOOP_URL: z.url().default('http://127.0.0.1:3000'),
  SANDBOX_TIME_SCALE: z.coerce.number().positive().max(1).default(1 / 600),
  SANDBOX_DUPLICATE_PROBABILITY: z.coerce.number().min(0).max(1).default(0.02),
  SANDBOX_SEED: z.coerce.number().int().default(42),
  // Razorpay debits a recurring card payment ~36 h 5 min (130500000 ms) after its pre-debit notification; 0 debits at once.
  SANDBOX_RAZORPAY_PRE_DEBIT_MS: z.coerce.number().int().min(0).default(0),
  // Stored cards, checkouts and gateway records survive a restart here; empty disables persistence.
  SANDBOX_DATA_FILE: z.string().default(resolve(__dirname, '../.data/sandbox.json')),
});

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const connections = loadAccounts(env.SANDBOX_CONNECTIONS_FILE);
  const sandbox = createSandbox({
    connections,
    dataFile: env.SANDBOX_DATA_FILE === '' ? undefined : env.SANDBOX_DATA_FILE,
    chargeloopUrl: env.CHARGELOOP_URL,
    publicUrl: env.SANDBOX_PUBLIC_URL,
    timeScale: env.SANDBOX_TIME_SCALE,
    duplicateProbability: env.SANDBOX_DUPLICATE_PROBABILITY,
    seed: env.SANDBOX_SEED,
    razorpayPreDebitMs: env.SANDBOX_RAZORPAY_PRE_DEBIT_MS,
  });
  const url = await sandbox.listen(env.SANDBOX_PORT, env.SANDBOX_HOST);
  process.stdout.write(`gateway sandbox on ${url} (paystack ${url}/paystack, flutterwave ${url}/flutterwave/v3, razorpay ${url}/razorpay/v1); webhooks → ${env.CHARGELOOP_URL}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
