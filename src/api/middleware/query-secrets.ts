import type { RequestHandler } from 'express';
import { Problem } from '../problem';
import { sendProblem } from './errors';

/** Query parameters that look like a credential. URLs end up in logs, proxies and browser history; keys never may. */
const SECRET_PARAM = /^(api[-_]?key|key|access[-_]?token|token|auth|authorization|bearer|secret|password|signature)$/i;

/**
 * Refuses (400) any request carrying a credential in its query string. Mounted before the request logger, so the
 * URL holding the key is never written anywhere.
 */
export const refuseQuerySecrets: RequestHandler = (req, res, next) => {
  const q = req.url.indexOf('?');
  if (q >= 0) {
    for (const name of new URLSearchParams(req.url.slice(q + 1)).keys()) {
      if (SECRET_PARAM.test(name)) {
        sendProblem(res, new Problem(400, 'Credential in query string', `Send credentials in the Authorization header, never in the URL (parameter "${name}").`));
        return;
      }
    }
  }
  next();
};
