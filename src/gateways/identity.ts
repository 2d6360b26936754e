import { createHash } from 'node:crypto';

/** Longest id that reaches a workflow (eventId) or the webhook route's cache (dedupeKey). */
export const MAX_IDENTITY_LENGTH = 128;

/**
 * An event identity built only from fields of the signed body (gateway id, event type, status). Parts are joined
 * with ':'; anything that is not printable ASCII, or a result longer than 128 characters, is replaced by a SHA-256
 * digest, so no payload can push a workflow's dedupe state or the API's cache past a fixed size per entry.
 */
export function signedIdentity(gateway: string, ...parts: (string | number | null | undefined)[]): string {
  const joined = [gateway, ...parts.map((p) => (p === null || p === undefined ? '' : String(p)))].join(':');
  if (joined.length <= MAX_IDENTITY_LENGTH && /^[\x21-\x7e]*$/.test(joined)) return joined;
  return `${gateway}:sha256:${createHash('sha256').update(joined, 'utf8').digest('hex')}`;
}
