import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { SignedWebhook } from './paystack-webhooks';

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/**
 * POSTs every body once (autocannon `amount`), `connections` at a time over loopback, each request taking the next
 * pre-signed body. Bounded twice: by count, and by `maxSeconds` after which autocannon is stopped.
 */
export async function driveWebhooks(url: string, bodies: readonly SignedWebhook[], connections: number, maxSeconds: number): Promise<LoadResult> {
  let next = 0;
  // autocannon's duration is counted in whole ticks (it notices `amount` at the next one), so the rate is taken
  // from the first request sent to the last response received.
  const started = performance.now();
  let lastResponse = started;
  let done: (err: unknown, result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => (done = (err, result) => (err ? reject(err instanceof Error ? err : new Error('autocannon failed')) : resolve(result))));
  const instance = autocannon({
    url,
    connections,
    amount: bodies.length,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const w = bodies[next++ % bodies.length]!;
          return { ...req, body: w.body, headers: { 'content-type': 'application/json', 'x-paystack-signature': w.signature } };
        },
      },
    ],
  }, (err: unknown, result) => done(err, result));
  instance.on('response', () => (lastResponse = performance.now()));
  const guard = setTimeout(() => instance.stop(), maxSeconds * 1000);
  try {
    const result = await finished;
    const seconds = Math.max(0.001, (lastResponse - started) / 1000);
    return {
      requests: result.requests.total,
      perSecond: result.requests.total / seconds,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    clearTimeout(guard);
  }
}
