import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Constant-time string compare. Lengths are not secret (an HMAC's length is public), so unequal lengths fail fast. */
export function safeEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Compares against every candidate (no early exit), so timing does not reveal which secret of a rotation matched. */
export function anyMatches(candidates: readonly string[], received: string): boolean {
  return candidates.map((c) => safeEqual(c, received)).some(Boolean);
}

export const toBuffer = (raw: Buffer | string): Buffer => (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw);
export const hmacHex = (algorithm: 'sha256' | 'sha512', key: string, raw: Buffer): string => createHmac(algorithm, key).update(raw).digest('hex');
export const hmacBase64 = (algorithm: 'sha256', key: string, raw: Buffer): string => createHmac(algorithm, key).update(raw).digest('base64');

/** A header's single value (Node lower-cases names; a repeated header is suspicious, so only the first counts). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
