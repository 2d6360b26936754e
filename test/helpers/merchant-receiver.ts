import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedDelivery {
  id: string;
  verified: boolean;
  status: number;
  body: string;
}

/**
 * A merchant backend on loopback: verifies each delivery with the `standardwebhooks` package, as a merchant would,
 * and answers with the status `respond` picks (e.g. fail the first two tries, then accept).
 */
export async function startMerchantReceiver(secret: string, respond: (attemptNo: number, id: string) => number) {
  const deliveries: ReceivedDelivery[] = [];
  const verifier = new Webhook(secret);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let verified = true;
      try {
        verifier.verify(body, headers);
      } catch {
        verified = false;
      }
      const id = headers['webhook-id'] ?? '';
      const status = verified ? respond(deliveries.length + 1, id) : 401;
      deliveries.push({ id, verified, status, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/chargeloop`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
