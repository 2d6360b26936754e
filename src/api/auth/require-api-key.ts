import type { RequestHandler } from 'express';
import { Problem } from '../problem';
import { findApiKey, type ApiKey, type ApiScope } from './api-keys';

/** The scope a request needs: reading is `read`, anything that changes state is `write`. */
const scopeFor = (method: string): ApiScope => (method === 'GET' || method === 'HEAD' ? 'read' : 'write');

/** The authenticated key's name, for logs and idempotency scoping (never the key itself). */
export const apiKeyName = (locals: Record<string, unknown>): string => (locals.apiKey as ApiKey | undefined)?.name ?? 'anonymous';

/**
 * `Authorization: Bearer <key>` on every route it guards: 401 when missing or unknown, 403 when the key lacks
 * the scope the method needs. Mounted on /v1 only: health, metrics, docs and webhooks authenticate otherwise or not at all.
 */
export function requireApiKey(keys: readonly ApiKey[]): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      res.set('WWW-Authenticate', 'Bearer realm="chargeloop"');
      return next(new Problem(401, 'Unauthorized', 'Send an API key as "Authorization: Bearer <key>".'));
    }
    const key = findApiKey(keys, match[1]);
    if (!key) {
      res.set('WWW-Authenticate', 'Bearer realm="chargeloop", error="invalid_token"');
      return next(new Problem(401, 'Unauthorized', 'The API key is not valid.'));
    }
    const scope = scopeFor(req.method);
    if (!key.scopes.includes(scope)) {
      return next(new Problem(403, 'Forbidden', `The API key "${key.name}" does not have the "${scope}" scope this request needs.`));
    }
    res.locals.apiKey = key;
    next();
  };
}
