import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The API's page token: Temporal's nextPageToken (base64url) plus an HMAC-SHA256 over it and the query it belongs
 * to, keyed with a server secret. The server answers a mangled token with a retried UNKNOWN error rather than
 * INVALID_ARGUMENT (~19 s of retries, then a 500), so only tokens this API issued for these filters ever reach it:
 * anything else is a 422 on `pageToken` at once. An unkeyed checksum would not do: anyone can compute it.
 */
export class PageTokens {
  private readonly key: Buffer;

  constructor(key: string | Buffer) {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  }

  /** A page-token key derived from the newest payload key, when PAGE_TOKEN_KEY is not configured. */
  static derivedFrom(codecKey: Buffer): PageTokens {
    return new PageTokens(Buffer.from(hkdfSync('sha256', codecKey, Buffer.alloc(0), 'chargeloop page-token v1', 32)));
  }

  private mac(query: string, token: string): Buffer {
    return createHmac('sha256', this.key).update(`${query}\n${token}`).digest().subarray(0, 18);
  }

  encode(query: string, raw: Uint8Array): string {
    const token = Buffer.from(raw).toString('base64url');
    return `${token}.${this.mac(query, token).toString('base64url')}`;
  }

  /** Temporal's token for `query`, or undefined when this API did not issue it for these filters. */
  decode(query: string, pageToken: string): Buffer | undefined {
    const dot = pageToken.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const token = pageToken.slice(0, dot);
    const given = Buffer.from(pageToken.slice(dot + 1), 'base64url');
    const expected = this.mac(query, token);
    return given.length === expected.length && timingSafeEqual(given, expected) ? Buffer.from(token, 'base64url') : undefined;
  }
}
