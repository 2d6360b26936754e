import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  /** Requests answered 502 because the replica died after receiving them (the caller must retry). */
  readonly failedMidRequest: number;
  /** Requests sent on to another replica because one refused the connection. */
  readonly failedOver: number;
  /** Requests each replica holds right now (sent, not yet answered): a fault test kills a replica while it has one. */
  readonly inFlight: readonly number[];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * The load balancer in front of the API replicas (an ALB, nginx or a Kubernetes Service in production): round robin,
 * and a replica that refuses the connection is skipped, as `proxy_next_upstream error` does. A replica that dies
 * after it received a request is NOT retried here (the request may have had effects): the caller gets a 502 and
 * retries, as gateways redeliver webhooks and merchants resend with the same Idempotency-Key.
 */
export async function startBalancer(upstreams: string[], port = 0): Promise<Balancer> {
  let next = 0;
  const stats = { failedMidRequest: 0, failedOver: 0 };
  const inFlight = upstreams.map(() => 0);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const tryUpstream = (tries: number): void => {
        const index = next++ % upstreams.length;
        const target = new URL(req.url ?? '/', upstreams[index]);
        let sent = false;
        let held = false;
        const release = (): void => {
          if (held) inFlight[index]! -= 1;
          held = false;
        };
        // agent: false: a fresh connection per request, so 'connect' marks exactly when this request reached the replica.
        const out = request(target, { method: req.method, headers: { ...req.headers, host: target.host }, timeout: 30_000, agent: false }, (upstream) => {
          release();
          res.writeHead(upstream.statusCode ?? 502, upstream.headers);
          upstream.pipe(res);
          upstream.on('error', () => res.destroy());
        });
        out.on('socket', (socket) =>
          socket.once('connect', () => {
            sent = true;
            held = true;
            inFlight[index]! += 1;
          }),
        );
        out.on('timeout', () => out.destroy(new Error('upstream timeout')));
        out.on('error', () => {
          release();
          if (res.headersSent) return void res.destroy();
          if (!sent && tries < upstreams.length) {
            stats.failedOver += 1;
            return tryUpstream(tries + 1);
          }
          stats.failedMidRequest += 1;
          res.writeHead(502, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ title: 'Bad Gateway', status: 502, detail: 'the API replica failed' }));
        });
        out.end(body);
      };
      tryUpstream(1);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get failedMidRequest() {
      return stats.failedMidRequest;
    },
    get failedOver() {
      return stats.failedOver;
    },
    inFlight,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
