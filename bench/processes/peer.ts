import express from 'express';

/**
 * The far end of the activities' HTTP, bare, in a process of its own (as the sandbox and a merchant's backend are):
 * - `POST /merchant`: the real run's merchant endpoint. It reads the signed event and answers 204, checking nothing,
 *   so Chargeloop's merchant events cost what they cost in production (sign, POST, answer) and no more.
 * - `POST /gateway`: the baseline's gateway call (baseline-gateway.ts). It answers at once and then, as the sandbox's
 *   webhook sender does (sandbox/webhook-sender.ts queues a delivery behind its response), POSTs the webhooks the call
 *   asked for, one after another, to the baseline's bare webhook route. A failed POST is logged: the workflow then
 *   never receives its signal, and the activation baseline stops at its timeout with the count it reached.
 * So each activity of either run is one HTTP request to another process, and the baseline's webhooks leave a process
 * that is not the worker's, as the real ones do.
 */
const app = express();
app.post('/merchant', express.raw({ type: () => true, limit: '1mb' }), (_req, res) => {
  res.status(204).end();
});
app.post('/gateway', express.json(), (req, res) => {
  const { webhookUrl, webhooks } = req.body as { webhookUrl?: unknown; webhooks?: unknown };
  if (typeof webhookUrl !== 'string' || typeof webhooks !== 'number' || !Number.isInteger(webhooks) || webhooks < 0 || webhooks > 10) {
    res.status(400).json({ error: 'webhookUrl (string) and webhooks (integer 0-10) are required' });
    return;
  }
  res.on('finish', () => {
    if (webhooks > 0) void deliver(webhookUrl, webhooks);
  });
  res.status(200).json({ ok: true });
});

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

const port = Number(process.env.PEER_PORT);
const server = app.listen(port, '127.0.0.1', () => console.log(`BENCH PEER READY on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
