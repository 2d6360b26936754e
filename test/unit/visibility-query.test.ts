import { createHash } from 'node:crypto';
import { PageTokens } from '../../src/temporal/page-token';
import { quoteVisibilityValue, subscriptionsQuery } from '../../src/temporal/visibility-query';
import { ListSubscriptionsQuerySchema } from '../../src/api/schemas';

describe('visibility query', () => {
  it('ANDs the given filters onto the workflow type', () => {
    expect(subscriptionsQuery('subscriptionWorkflow', { status: 'active', customerId: 'cus_1' })).toBe(
      'WorkflowType = "subscriptionWorkflow" AND SubscriptionStatus = "active" AND CustomerId = "cus_1"',
    );
  });

  it('escapes quotes and backslashes so a value stays one string literal', () => {
    expect(quoteVisibilityValue('a" OR CustomerId != "b')).toBe('"a\\" OR CustomerId != \\"b"');
    expect(quoteVisibilityValue('a\\" OR 1=1')).toBe('"a\\\\\\" OR 1=1"');
  });

  it('refuses control characters and unknown parameters before a query is built', () => {
    const bad = ListSubscriptionsQuerySchema.safeParse({ customerId: 'a\nb', sort: 'x' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.') || i.code).sort()).toEqual(['customerId', 'unrecognized_keys']);
  });
});

describe('page tokens', () => {
  const query = 'WorkflowType = "subscriptionWorkflow"';
  const tokens = new PageTokens('page-token-key-0123456789');
  const decodePageToken = (q: string, t: string) => tokens.decode(q, t);
  const encodePageToken = (q: string, raw: Uint8Array) => tokens.encode(q, raw);
  it('round-trips Temporal\'s token for the same query', () => {
    const raw = Buffer.from('{"StartTime":"2026-01-01T00:00:00Z","RunID":"r"}');
    expect(decodePageToken(query, encodePageToken(query, raw))).toEqual(raw);
  });
  it('refuses a token for other filters, edited or truncated', () => {
    const token = encodePageToken(query, Buffer.from('abc'));
    expect(decodePageToken(`${query} AND PlanId = "x"`, token)).toBeUndefined();
    expect(decodePageToken(query, `x${token}`)).toBeUndefined();
    expect(decodePageToken(query, token.slice(0, -1))).toBeUndefined();
    expect(decodePageToken(query, 'nodot')).toBeUndefined();
  });
  it('refuses a token whose checksum anyone could compute: only the keyed HMAC counts', () => {
    const token = Buffer.from('abc').toString('base64url');
    const unkeyed = createHash('sha256').update(`${query}\n${token}`).digest('base64url').slice(0, 22);
    expect(decodePageToken(query, `${token}.${unkeyed}`)).toBeUndefined();
    expect(new PageTokens('another-key-0123456789').decode(query, encodePageToken(query, Buffer.from('abc')))).toBeUndefined();
    expect(PageTokens.derivedFrom(Buffer.alloc(32, 7)).decode(query, PageTokens.derivedFrom(Buffer.alloc(32, 7)).encode(query, Buffer.from('abc')))).toEqual(Buffer.from('abc'));
  });
});
