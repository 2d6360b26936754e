import type { BaselineActivities } from '../workflows/baseline';

/**
 * The baseline's stand-in for a gateway call: it answers at once and then, like the sandbox's webhook sender
 * (sandbox/webhook-sender.ts queues the delivery behind the response), POSTs the webhooks the call asked for, one
 * after another, to the baseline's bare webhook route. A failed POST is logged: the workflow then never receives
 * its signal, and the activation baseline stops at its timeout with the count it reached.
 */
export function baselineGatewayActivities(): BaselineActivities {
  return {
    gatewayCall: ({ webhookUrl, webhooks }) => {
      if (webhookUrl && webhooks > 0) setImmediate(() => void deliver(webhookUrl, webhooks));
      return Promise.resolve();
    },
  };
}

async function deliver(url: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'charge.success', n: i }), signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      if (res.status >= 300) console.error(`baseline webhook POST ${url}: ${res.status}`);
    } catch (err) {
      console.error(`baseline webhook POST ${url}: ${String(err)}`);
    }
  }
}
