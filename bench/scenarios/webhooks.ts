import { performance } from 'node:perf_hooks';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { gatewayEventSignal } from '../../src/shared/messages';
import type { BenchConfig } from '../config';
import { ACTIVATION_CONNECTION_ID, type Stack } from '../stack';
import { BARE_ROUTE } from '../processes/bare-route';
import { driveWebhooks, type LoadResult } from '../lib/drive-http';
import { signedWebhooks } from '../lib/paystack-webhooks';
import { runPool } from '../lib/pool';
import { progress } from '../lib/progress';
import { percentile, ratio, round } from '../lib/stats';
import { sleep } from '../lib/wait';

export interface WebhookResult {
  webhooks: number;
  connections: number;
  full: LoadResult;
  bareRoute: LoadResult;
  rawSignals: LoadResult;
  /** Full-path webhooks/s divided by each baseline's rate (1.0 = no overhead). */
  ratioToBareRoute: number;
  ratioToRawSignals: number;
}

const MAX_SECONDS = 120;
/** Lets the worker finish the workflow tasks the previous measurement caused before the next one starts. */
const SETTLE_MS = 5000;

/**
 * Signed Paystack webhooks through the whole edge (raw body, HMAC check, parse, dedupe, signal accepted by
 * Temporal), against (a) a bare Express route in the same API process and (b) the same signals sent by a client
 * with no HTTP in front, at the same concurrency. Targets the subscriptions the activation scenario left active.
 */
export async function runWebhooks(stack: Stack, cfg: BenchConfig, subscriptionIds: readonly string[]): Promise<WebhookResult> {
  const m = cfg.webhooks;
  const c = cfg.webhookConnections;
  const full = signedWebhooks(subscriptionIds, m, 900_000_000);
  const raw = signedWebhooks(subscriptionIds, m, 800_000_000);

  progress('webhooks', `bare route: ${m} requests, ${c} connections`);
  const bareRoute = await driveWebhooks(`${stack.apiUrl}${BARE_ROUTE}`, full, c, MAX_SECONDS);
  progress('webhooks', `full path: ${m} signed webhooks to /webhooks/paystack/${ACTIVATION_CONNECTION_ID}`);
  const fullPath = await driveWebhooks(`${stack.apiUrl}/webhooks/paystack/${ACTIVATION_CONNECTION_ID}`, full, c, MAX_SECONDS);
  if (fullPath.non2xx > 0 || fullPath.errors > 0) throw new Error(`webhooks: ${fullPath.non2xx} non-2xx answers and ${fullPath.errors} errors on the full path`);
  await sleep(SETTLE_MS);

  progress('webhooks', `raw signals: ${m} signals from the client, ${c} in flight`);
  const latencies: number[] = [];
  const started = performance.now();
  await runPool(m, c, async (i) => {
    const w = raw[i]!;
    const t = performance.now();
    await stack.client.workflow.getHandle(subscriptionWorkflowId(w.subscriptionId)).signal(gatewayEventSignal, w.event);
    latencies.push(performance.now() - t);
  });
  const seconds = (performance.now() - started) / 1000;
  const rawSignals: LoadResult = { requests: m, perSecond: m / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), non2xx: 0, errors: 0 };

  const r = (x: LoadResult): LoadResult => ({ ...x, perSecond: round(x.perSecond), p50Ms: round(x.p50Ms), p99Ms: round(x.p99Ms) });
  return {
    webhooks: m,
    connections: c,
    full: r(fullPath),
    bareRoute: r(bareRoute),
    rawSignals: r(rawSignals),
    ratioToBareRoute: ratio(fullPath.perSecond, bareRoute.perSecond),
    ratioToRawSignals: ratio(fullPath.perSecond, rawSignals.perSecond),
  };
}
