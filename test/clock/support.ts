import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { freePorts } from '../../scripts/cluster/ports';
import { startDevStack, type DevStack } from '../../scripts/dev/stack';
import type { Gateway } from '../../src/shared/gateway-policy';
import type { MerchantEvent } from '../../src/shared/merchant-events';
import type { SubscriptionView } from '../../src/shared/state';
import type { TestClockView } from '../../src/api/routes/test-clock-schemas';
import { apiOver } from '../helpers/http-api';
import { poll } from '../helpers/poll';
import { TEST_API_KEYS } from '../helpers/api';
import { createBody } from '../helpers/api-requests';

const root = resolve(__dirname, '../..');
/** The test-clock tier's ports (this tier owns 44000-44999, clear of the dev stack and the other tiers). */
const PORT_RANGE = { from: 44000, to: 44999 };

export interface ClockStack {
  stack: DevStack;
  /** Merchant events as the merchant's endpoint received them (signature verified), in arrival order. */
  events: MerchantEvent[];
  stop(): Promise<void>;
}

/** A merchant endpoint on loopback that verifies each Standard Webhooks delivery and keeps the events. */
async function merchantEndpoint(port: number, secret: string): Promise<{ events: MerchantEvent[]; server: Server }> {
  const events: MerchantEvent[] = [];
  const verifier = new Webhook(secret);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        verifier.verify(body, Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])));
      } catch {
        return void res.writeHead(401).end();
      }
      const event = JSON.parse(body) as MerchantEvent;
      // Redeliveries carry the same id: the merchant keeps one.
      if (!events.some((e) => e.id === event.id)) events.push(event);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { events, server };
}

/**
 * The stack `npm run dev` runs (scripts/dev/stack.ts: Temporal server v1.32.2 on SQLite with time skipping, the sandbox,
 * a worker and the API, each its own process) on free ports in a temp dir, plus a merchant endpoint. The sandbox's
 * accounts are test mode; one more connection, `paystack-live`, is live mode (same sandbox keys) for the refusals.
 */
export async function startClockStack(options: { sandboxEnv?: NodeJS.ProcessEnv } = {}): Promise<ClockStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chargeloop-clock-'));
  const [frontend, frontendMembership, frontendHttp, history, historyMembership, matching, matchingMembership, worker, workerMembership, api, sandbox, merchant] =
    await freePorts(12, PORT_RANGE);
  const connectionsFile = join(dataDir, 'connections.json');
  const connections = JSON.parse(readFileSync(resolve(root, 'sandbox/connections.json'), 'utf8').replace(/http:\/\/127\.0\.0\.1:\d+\//g, `http://127.0.0.1:${sandbox}/`)) as Record<string, Record<string, unknown>>;
  connections['paystack-live'] = { ...connections['paystack-sandbox'], mode: 'live' };
  writeFileSync(connectionsFile, JSON.stringify(connections));
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const endpoint = await merchantEndpoint(merchant!, secret);
  try {
    const stack = await startDevStack({
      dataDir,
      sqliteFile: join(dataDir, 'temporal.sqlite'),
      connectionsFile,
      ports: { temporal: { frontend: frontend!, frontendMembership: frontendMembership!, frontendHttp: frontendHttp!, history: history!, historyMembership: historyMembership!, matching: matching!, matchingMembership: matchingMembership!, worker: worker!, workerMembership: workerMembership! }, api: api!, sandbox: sandbox! },
      output: 'files',
      appEnv: {
        NODE_ENV: 'test', API_KEYS: JSON.stringify(TEST_API_KEYS), CODEC_KEYS: `clock:${randomBytes(32).toString('base64')}`, METRICS_ADDRESS: '', WORKER_METRICS_ADDRESS: '',
        LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '3000', MERCHANT_WEBHOOK_URL: `http://127.0.0.1:${merchant}/hooks`, MERCHANT_WEBHOOK_SECRET: secret,
      },
      sandboxEnv: { SANDBOX_DATA_FILE: '', SANDBOX_DUPLICATE_PROBABILITY: '0', SANDBOX_SEED: '15', ...options.sandboxEnv },
      log: () => undefined,
    });
    return {
      stack,
      events: endpoint.events,
      stop: async () => {
        await stack.stop();
        await new Promise<void>((r) => endpoint.server.close(() => r()));
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await new Promise<void>((r) => endpoint.server.close(() => r()));
    throw new Error(`the dev stack failed to start (logs in ${dataDir}/logs): ${err instanceof Error ? err.message : String(err)}`);
  }
}

let n = 0;
/** A monthly plan on `<gateway>-sandbox` (or another connection), a unique customer per subscription. */
export function clockBody(gateway: Gateway, label: string, connectionId = `${gateway}-sandbox`): Record<string, unknown> & { id: string; customer: { email: string } } {
  n += 1;
  const id = `tc-${label}-${process.pid % 10000}-${n}`;
  const customer = { id: `cus-${id}`, email: `${id}@example.com`, firstName: 'Ada', lastName: 'Obi', phone: '+919876543210' };
  const base = createBody({ id, customer, gatewayConnectionId: connectionId });
  return { ...base, id, customer, plan: { ...(base.plan as object), currency: gateway === 'razorpay' ? 'INR' : 'NGN', interval: 'month' } };
}

/** The merchant events of one subscription, by type, in the order the merchant received them. */
export const eventsOf = (events: MerchantEvent[], subscriptionId: string): MerchantEvent[] =>
  events.filter((e) => e.subscriptionId === subscriptionId).sort((a, b) => a.sequence - b.sequence);

/** The renewal attempts of a cycle (automatic and manual), as [reference, outcome]. */
export const attempts = (view: SubscriptionView, cycle: number): [string, string][] =>
  view.charges.filter((c) => c.cycle === cycle && c.kind !== 'authorization').map((c) => [c.reference, c.outcome]);

/**
 * Polls the clock until it is `ready`, and fails if it is not within `timeoutMs`. A subscription that looks settled
 * (active, refunds processed) can still have work pending: merchant event deliveries, a workflow task. Its clock is
 * `advancing` until that work is done, and the API refuses to move it (409). So every step that moves a clock
 * waits here first, instead of assuming that a settled view means a quiet execution.
 */
export async function clockReady(apiUrl: string, id: string, timeoutMs = 120_000): Promise<TestClockView> {
  const res = await poll(() => apiOver(apiUrl).get<TestClockView>(`/v1/subscriptions/${id}/test-clock`), (r) => r.status === 200 && r.body.status === 'ready', { timeoutMs, intervalMs: 250 });
  if (res.status !== 200 || res.body.status !== 'ready') throw new Error(`the clock of ${id} is not ready after ${timeoutMs} ms: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
