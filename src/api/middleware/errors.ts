import type { ErrorRequestHandler, RequestHandler } from 'express';
import { Problem } from '../problem';

const PROBLEM_JSON = 'application/problem+json';

export function sendProblem(res: Parameters<RequestHandler>[1], problem: Problem, instance?: string): void {
  res.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(problem.toJSON(instance)));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, new Problem(404, 'Not found', `No route for ${req.method} ${req.path}.`), req.originalUrl);
};

/** Known errors become their problem; body-parser errors keep their status; anything else is a generic 500 (logged, never echoed). */
export function errorHandler(log: (err: unknown, msg: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof Problem) return sendProblem(res, err, req.originalUrl);
    const e = err as { type?: string; status?: number; expose?: boolean };
    if (e?.type === 'entity.too.large') return sendProblem(res, new Problem(413, 'Payload too large', 'The request body is larger than this route accepts.'), req.originalUrl);
    if (e?.type === 'entity.parse.failed') return sendProblem(res, new Problem(400, 'Malformed JSON', 'The request body is not valid JSON.'), req.originalUrl);
    if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return sendProblem(res, new Problem(415, 'Unsupported media type', 'Send UTF-8 JSON.'), req.originalUrl);
    log(err, 'unhandled error');
    return sendProblem(res, new Problem(500, 'Internal error', 'Something went wrong on our side; the request may be retried.'), req.originalUrl);
  };
}
