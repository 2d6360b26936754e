import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Router, type RequestHandler } from 'express';

/**
 * The API process's Prometheus metrics, on a registry of its own (not prom-client's global one) so tests and several
 * apps in one process never clash. The worker's Temporal SDK metrics are served by the worker's Runtime
 * (WORKER_METRICS_ADDRESS), not here.
 */
export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** For the webhook router: one increment per delivery, outcome e.g. `signalled`, `duplicate`, `invalid_signature`. */
  webhooks: Counter<'gateway' | 'outcome'>;
}

export function createApiMetrics(options: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  return {
    registry,
    httpRequests: new Counter({ name: 'chargeloop_http_requests_total', help: 'HTTP requests by route template, method and status.', labelNames, registers: [registry] }),
    httpDuration: new Histogram({
      name: 'chargeloop_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status.',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    webhooks: new Counter({ name: 'chargeloop_webhooks_total', help: 'Gateway webhooks by gateway and outcome.', labelNames: ['gateway', 'outcome'], registers: [registry] }),
  };
}

/**
 * Times every request and labels it with the matched route template (`/v1/subscriptions/:id`), never the raw path,
 * so ids do not explode the label set. Unmatched requests are labelled `unmatched`.
 */
export function httpMetrics(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? `${req.baseUrl}${routePath}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      stop(labels);
    });
    next();
  };
}

/** Outcome of a webhook delivery as its status tells it (the route answers 200 for duplicates and ignored events too). */
function webhookOutcome(status: number): string {
  if (status < 300) return 'accepted';
  if (status === 401) return 'invalid_signature';
  if (status === 404) return 'unknown_endpoint';
  if (status === 413) return 'too_large';
  if (status >= 500) return 'not_recorded';
  return 'rejected';
}

/**
 * Counts gateway webhooks by gateway and outcome around the webhook router, so that router needs no metrics
 * dependency. The gateway label is the path segment only when it names a known gateway, to bound the label set.
 */
export function webhookMetrics(metrics: ApiMetrics, gateways: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const segment = req.path.split('/')[1] ?? '';
    const gateway = gateways.includes(segment) ? segment : 'unknown';
    res.on('finish', () => metrics.webhooks.inc({ gateway, outcome: webhookOutcome(res.statusCode) }));
    next();
  };
}

/** `GET /metrics` in the Prometheus text format; unauthenticated, like health, for the scraper. */
export function createMetricsRouter(metrics: ApiMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
