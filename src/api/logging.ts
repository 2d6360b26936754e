import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

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
 * echoed back in the response so a support ticket can quote it.
 */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Bodies are never logged: they hold customer personal data.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) => ({ id: req.id, method: req.method, url: req.url, headers: redactHeaders(req.headers) }),
    },
  });
}
