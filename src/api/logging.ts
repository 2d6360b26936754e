import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { RequestHandler } from 'express';

/**
 * Paths pino blanks out wherever they appear: credentials must never reach a log line. Idempotency keys are fine
 * (they are not secrets), Authorization and anything gateway- or webhook-signed are not.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'req.headers["x-paystack-signature"]',
  'req.headers["verif-hash"]',
  'req.headers["flutterwave-signature"]',
  'req.headers["x-razorpay-signature"]',
  'req.headers["webhook-signature"]',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.secret',
  '*.secretKey',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino({ level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, options.destination);
}

/**
 * Any header whose name says it carries a credential, beyond the listed ones: a gateway adding a new signature header
 * must not need a code change to stay out of the logs. Idempotency keys are not credentials and stay readable.
 */
const KEY_LIKE_HEADER = /(authorization|cookie|signature|secret|token|api[-_]?key|verif-hash|password|credential)/i;
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, KEY_LIKE_HEADER.test(name) ? '[redacted]' : value]));
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One JSON line per request with a request id: the caller's `x-request-id` when it is a sane token, else a new UUID,
 * echoed back in the response so a support ticket can quote it. The line is built only when its level is enabled:
 * pino-http, used before, made a child logger per request that serialised the request's headers up front, also
 * when the line was then dropped (at `warn`, 11% of the API's CPU per webhook in the bench's CPU profile).
 */
export function httpLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    const started = Date.now();
    const done = (outcome: 'finish' | 'close' | Error): void => {
      res.removeListener('finish', onFinish);
      res.removeListener('close', onClose);
      res.removeListener('error', done);
      const aborted = outcome === 'close' && !res.writableFinished;
      const level = outcome instanceof Error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 || aborted ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      // Bodies are never logged: they hold customer personal data.
      const line = {
        req: { id, method: req.method, url: req.originalUrl, headers: redactHeaders(req.headers) },
        res: { statusCode: res.headersSent ? res.statusCode : null, headers: redactHeaders(res.getHeaders()) },
        responseTime: Date.now() - started,
        ...(outcome instanceof Error ? { err: outcome } : {}),
      };
      logger[level](line, outcome instanceof Error ? 'request errored' : aborted ? 'request aborted' : 'request completed');
    };
    const onFinish = (): void => done('finish');
    const onClose = (): void => done('close');
    res.on('finish', onFinish);
    res.on('close', onClose);
    res.on('error', done);
    next();
  };
}
