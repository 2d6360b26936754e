import { ApplicationFailure } from '@temporalio/common';
import type { FlutterwaveConnection, PaystackConnection } from '../../src/gateways/connections';
import { FlutterwaveClient } from '../../src/gateways/flutterwave/client';
import { MAX_LOOKUP_PAGES } from '../../src/gateways/pages';
import { PaystackClient } from '../../src/gateways/paystack/client';
import { testConnections } from '../helpers/gateway-connections';
import { corpusFetch, fixture, type Fixture } from './support/corpus';
import { refundInput } from './support/inputs';

// Issue 10: the lookup for an earlier refund (v3 Flutterwave and Paystack take no refund idempotency key) reads every
// page of the list, up to MAX_LOOKUP_PAGES. Past the bound with pages unread the outcome is unknown: a retryable
// error, and no refund is sent (an earlier one may be on a page not read).
const settle = <T>(p: Promise<T>) => p.then((v) => v, (e: unknown) => e);
const repeat = (f: Fixture, n: number): Fixture[] => Array.from({ length: n }, () => f);

describe('Flutterwave refund lookup reads every page, bounded', () => {
  const connection = testConnections().get('flutterwave-test') as FlutterwaveConnection;
  const f = (name: string) => fixture('flutterwave', name);
  const input = refundInput('flutterwave', 'sub-2-c1-a1', '277036749', 5000, 'NGN');
  const run = (fixtures: Fixture[]) => {
    const fake = corpusFetch('/v3', fixtures);
    return { out: settle(new FlutterwaveClient(connection, fake.fetch).refund(input)), ...fake };
  };

  it('an earlier refund on page 2 is the result: no second refund, even past a same-transaction refund of another amount on page 1', async () => {
    const { out, requests, remaining } = run([f('refunds-list-page1-of-2'), f('refunds-list-page2-of-2')]);
    await expect(out).resolves.toMatchObject({ status: 'processed', gatewayRefundId: '8612' });
    expect(requests.map((r) => `${r.method} ${r.path}?page=${r.query.get('page')}`)).toEqual(['GET /refunds?page=1', 'GET /refunds?page=2']);
    expect(remaining()).toBe(0);
  });

  it('every page read and none is ours: the refund is sent once', async () => {
    const empty = { ...f('refunds-list-page2-of-2'), response: { status: 200, body: { status: 'success', message: 'Refunds fetched', meta: { page_info: { total: 2, current_page: 2, total_pages: 2 } }, data: [] } } };
    const { out, requests } = run([f('refunds-list-page1-of-2'), empty, f('refund-initiated')]);
    await expect(out).resolves.toMatchObject({ status: 'processed' });
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST']);
  });

  it(`more than ${MAX_LOOKUP_PAGES} pages without ours: unknown (retryable), nothing sent`, async () => {
    const { out, requests } = run(repeat(f('refunds-list-many-pages'), MAX_LOOKUP_PAGES));
    const err = await out;
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toMatch(/outcome unknown/);
    expect(requests).toHaveLength(MAX_LOOKUP_PAGES);
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
  });
});

describe('Paystack refund lookup reads every page, bounded', () => {
  const connection = testConnections().get('paystack-test') as PaystackConnection;
  const f = (name: string) => fixture('paystack', name);
  const input = refundInput('paystack', 'sub-1-auth1', '4099490251', 5000, 'NGN');
  const run = (fixtures: Fixture[]) => {
    const fake = corpusFetch('', fixtures);
    return { out: settle(new PaystackClient(connection, fake.fetch).refund(input)), ...fake };
  };

  // https://paystack.com/docs/api/refund/#list documents `transaction` ("the transaction ID of the refunded
  // transaction"). Without it the lookup reads the whole account's refunds, newest first: every authorization is
  // refunded, so past 1,000 refunds (MAX_LOOKUP_PAGES of 100) no new refund could ever be sent.
  it('asks only for the refunded transaction\'s refunds (`transaction` = its id), 100 a page', async () => {
    const { out, requests } = run([f('refund-list-page1-of-2'), f('refund-list')]);
    await out;
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/refund' });
    expect(Object.fromEntries(requests[0]!.query)).toEqual({ transaction: '4099490251', perPage: '100', page: '1' });
  });

  it('without a transaction id the lookup reads the unfiltered list, never a filter on an empty id', async () => {
    const fake = corpusFetch('', [f('refund-list'), f('refund-create')]);
    await settle(new PaystackClient(connection, fake.fetch).refund({ ...input, gatewayTransactionId: '' }));
    expect(Object.fromEntries(fake.requests[0]!.query)).toEqual({ perPage: '100', page: '1' });
  });

  it('an earlier refund on page 2 (newest first) is the result: no second refund', async () => {
    const { out, requests, remaining } = run([f('refund-list-page1-of-2'), f('refund-list')]);
    await expect(out).resolves.toMatchObject({ status: 'processed', gatewayRefundId: '3018284' });
    expect(requests.map((r) => r.query.get('page'))).toEqual(['1', '2']);
    expect(remaining()).toBe(0);
  });

  it(`more than ${MAX_LOOKUP_PAGES} pages without ours: unknown (retryable), nothing sent`, async () => {
    const { out, requests } = run(repeat(f('refund-list-many-pages'), MAX_LOOKUP_PAGES));
    const err = await out;
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(requests).toHaveLength(MAX_LOOKUP_PAGES);
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
  });
});
