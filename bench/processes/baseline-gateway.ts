import type { BaselineActivities } from '../workflows/baseline';

/**
 * The baseline's gateway call: one POST to the bench's peer process (peer.ts), which answers at once and then sends
 * the webhooks the call asked for to the baseline's bare webhook route, as the sandbox answers a real activity's
 * checkout, refund or charge and then sends its webhook. Without a peer (the heap tool, bench/tools/workflow-heap.ts,
 * which measures memory and whose baseline never gets its signal) the call answers at once.
 */
export function baselineGatewayActivities(peerUrl?: string): BaselineActivities {
  return {
    gatewayCall: async ({ webhookUrl, webhooks }) => {
      if (!peerUrl) return;
      const res = await fetch(`${peerUrl}/gateway`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ webhookUrl: webhookUrl ?? '', webhooks: webhookUrl ? webhooks : 0 }),
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`bench peer POST /gateway: ${res.status}`);
    },
  };
}
