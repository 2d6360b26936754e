import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * An Idempotency-Key as Temporal sees it: scoped to the API key that sent it (two clients may pick the same key),
 * hashed so the raw key never lands in workflow memos or update ids.
 */
export interface IdempotencyScope {
  /** Name of the authenticated API key. */
  principal: string;
  key: string;
}

export const idempotencyKeyHash = (scope: IdempotencyScope): string => sha256(`${scope.principal}\n${scope.key}`);

/** Hash of a request's meaning (the parsed body, with defaults applied), independent of key order and whitespace. */
export const requestHash = (value: unknown): string => sha256(canonicalJson(value));

/**
 * The subscription id for a create without `id`: derived from the key, so a retried create finds the workflow it
 * started instead of starting another. 20 hex characters (80 bits) fit the id pattern (`sub-` + 20 = 24 ≤ 26).
 */
export const subscriptionIdFromKey = (scope: IdempotencyScope): string => `sub-${idempotencyKeyHash(scope).slice(0, 20)}`;

/** Temporal dedupes updates by id within a run: the same key on the same subscription runs the update once. */
export const updateIdFromKey = (scope: IdempotencyScope): string => `idem-${idempotencyKeyHash(scope)}`;
