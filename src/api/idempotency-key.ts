import type { Request, Response } from 'express';
import type { IdempotencyScope } from '../temporal/idempotency';
import { apiKeyName } from './auth/require-api-key';
import { Problem } from './problem';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Every POST under /v1 requires an Idempotency-Key (1-255 printable ASCII characters, e.g. a UUID). Required rather
 * than optional because a create without one cannot be retried safely, and one rule for every POST is easier to get
 * right than a rule per route. 400 when missing or malformed, as draft-ietf-httpapi-idempotency-key-header suggests.
 */
export function idempotencyScope(req: Request, res: Response): IdempotencyScope {
  const key = req.get(IDEMPOTENCY_HEADER);
  if (key === undefined || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new Problem(400, 'Idempotency-Key required', 'Send an Idempotency-Key header (1-255 printable ASCII characters, e.g. a UUID) with every POST.', [
      { field: IDEMPOTENCY_HEADER, message: key === undefined ? 'header is required' : 'must be 1-255 printable ASCII characters' },
    ]);
  }
  // Scoped to the authenticated key: two clients choosing the same Idempotency-Key never collide.
  return { principal: apiKeyName(res.locals), key };
}
