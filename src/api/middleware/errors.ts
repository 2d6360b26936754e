import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  IdempotencyMismatchError,
  OperationFailedError,
  SubscriptionExistsError,
  SubscriptionNotFoundError,
  SubscriptionRefusedError,
} from '../../temporal/errors';
import { InvalidPageTokenError } from '../../temporal/list-subscriptions';
import { IDEMPOTENCY_HEADER } from '../idempotency-key';
import { Problem } from '../problem';

const PROBLEM_JSON = 'application/problem+json';

export function sendProblem(res: Parameters<RequestHandler>[1], problem: Problem, instance?: string): void {
  // Every 503 is "retry later": say when, so clients and gateways back off instead of hammering.
  if (problem.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
  res.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(problem.toJSON(instance)));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, new Problem(404, 'Not found', `No route for ${req.method} ${req.path}.`), req.originalUrl);
};

/** Domain errors from the Temporal layer, as the problem each one means to an API caller. */
function domainProblem(err: unknown): Problem | undefined {
  if (err instanceof SubscriptionNotFoundError) return new Problem(404, 'Not found', err.message);
  if (err instanceof SubscriptionRefusedError) return new Problem(409, 'Refused', err.message);
  if (err instanceof SubscriptionExistsError) return new Problem(409, 'Conflict', err.message);
  if (err instanceof IdempotencyMismatchError) {
    return new Problem(422, 'Idempotency key reused', err.message, [{ field: IDEMPOTENCY_HEADER, message: 'already used with a different request' }]);
  }
  if (err instanceof InvalidPageTokenError) return new Problem(422, 'Validation failed', err.message, [{ field: 'pageToken', message: err.message }]);
  if (err instanceof OperationFailedError) return new Problem(502, 'Operation failed', err.message);
  if (isTemporalUnavailable(err)) return new Problem(503, 'Service unavailable', 'Temporal is not reachable right now; retry the request.');
  return undefined;
}

/** Seconds a caller should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4) anywhere in the cause chain: the SDK wraps the gRPC error (e.g. in
 * ServiceError) depending on the call, and a route's deadline (temporal-deadline.ts) ends as DEADLINE_EXCEEDED.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 14 || code === 4) return true;
  }
  return false;
}

/** Known errors become their problem; body-parser errors keep their status; anything else is a generic 500 (logged, never echoed). */
export function errorHandler(log: (err: unknown, msg: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof Problem) return sendProblem(res, err, req.originalUrl);
    const mapped = domainProblem(err);
    if (mapped) return sendProblem(res, mapped, req.originalUrl);
    const e = err as { type?: string; status?: number; expose?: boolean };
    if (e?.type === 'entity.too.large') return sendProblem(res, new Problem(413, 'Payload too large', 'The request body is larger than this route accepts.'), req.originalUrl);
    if (e?.type === 'entity.parse.failed') return sendProblem(res, new Problem(400, 'Malformed JSON', 'The request body is not valid JSON.'), req.originalUrl);
    if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return sendProblem(res, new Problem(415, 'Unsupported media type', 'Send UTF-8 JSON.'), req.originalUrl);
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
      return sendProblem(res, new Problem(e.status, 'Bad request', 'The request could not be read.'), req.originalUrl);
    }
    log(err, 'unhandled error');
    return sendProblem(res, new Problem(500, 'Internal error', 'Something went wrong on our side; the request may be retried.'), req.originalUrl);
  };
}
