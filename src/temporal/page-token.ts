import { createHash } from 'node:crypto';

/**
 * The API's page token: Temporal's nextPageToken (base64url) plus a checksum over it and the query it belongs to.
 * The server answers a mangled token with a retried UNKNOWN error rather than INVALID_ARGUMENT, so a token that was
 * truncated, edited or reused with other filters is caught here instead, as a 422 on `pageToken`.
 */
const checksum = (query: string, token: string): string => createHash('sha256').update(`${query}\n${token}`).digest('base64url').slice(0, 22);

export function encodePageToken(query: string, raw: Uint8Array): string {
  const token = Buffer.from(raw).toString('base64url');
  return `${token}.${checksum(query, token)}`;
}

/** Temporal's token for `query`, or undefined when the token was not issued for it. */
export function decodePageToken(query: string, pageToken: string): Buffer | undefined {
  const dot = pageToken.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const token = pageToken.slice(0, dot);
  return checksum(query, token) === pageToken.slice(dot + 1) ? Buffer.from(token, 'base64url') : undefined;
}
