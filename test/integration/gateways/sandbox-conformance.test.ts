import { createServer, type Server } from 'node:http';
import { createSandbox, type Sandbox } from '../../../sandbox/app';
import { fixture, type Fixture } from '../../contract/support/corpus';
import { testConnections } from '../../helpers/gateway-connections';
import { payAtCheckout } from '../../helpers/gateway-sandbox';
import { poll } from '../../helpers/poll';
import { closeServer, listen } from '../../helpers/stack';

/**
 * The sandbox's answers and webhooks compared with the corpus entry of the same operation: every field the sandbox
 * sends must exist in the documented shape (nothing Chargeloop added, like a merchant_note in a refund webhook),
 * and the documented fields Chargeloop reads must be there.
 */
function undocumentedPaths(actual: unknown, documented: unknown, at = ''): string[] {
  if (Array.isArray(actual) && Array.isArray(documented)) return actual.length > 0 && documented.length > 0 ? undocumentedPaths(actual[0], documented[0], `${at}[0]`) : [];
  if (!actual || typeof actual !== 'object' || !documented || typeof documented !== 'object' || Array.isArray(documented)) return [];
  const doc = documented as Record<string, unknown>;
  return Object.entries(actual as Record<string, unknown>).flatMap(([k, v]) => (k in doc ? undocumentedPaths(v, doc[k], `${at}.${k}`) : [`${at}.${k}`]));
}
const missingPaths = (actual: unknown, documented: unknown): string[] => undocumentedPaths(documented, actual);
const body = (f: Fixture) => f.response?.body ?? f.body;

const connections = testConnections();
const keys = <G extends 'paystack' | 'flutterwave' | 'razorpay'>(g: G) => {
  const c = connections.get(`${g}-test`);
  if (!c || c.gateway !== g) throw new Error(`no ${g}-test`);
  return c.keys as Extract<typeof c, { gateway: G }>['keys'];
};

describe('sandbox conformance with the documented corpus', () => {
  const webhooks: unknown[] = [];
  let receiver: Server;
  let sandbox: Sandbox;
  let url = '';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        webhooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200).end();
      });
    });
    const receiverUrl = await listen(receiver.listen(0, '127.0.0.1'));
    sandbox = createSandbox({ connections, webhookUrlFor: () => receiverUrl, timeScale: 0.0001, duplicateProbability: 0, seed: 5 });
    url = await sandbox.listen(0);
  });
  afterAll(async () => {
    await sandbox.close();
    await closeServer(receiver);
  });

  const call = async (path: string, auth: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: payload === undefined ? undefined : JSON.stringify(payload) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const webhook = async (predicate: (w: Record<string, unknown>) => boolean) => {
    const found = await poll(() => webhooks.find((w) => predicate(w as Record<string, unknown>)), (w) => w !== undefined, { timeoutMs: 10_000, intervalMs: 20 });
    if (!found) throw new Error('webhook never arrived');
    return found;
  };
  const expectConforms = (actual: unknown, f: Fixture, mustHave: unknown = body(f)) => {
    expect({ source: f.source, undocumented: undocumentedPaths(actual, body(f)) }).toEqual({ source: f.source, undocumented: [] });
    expect(missingPaths(actual, mustHave)).toEqual([]);
  };

  it('Paystack: initialize, charge_authorization, verify, refund, list refunds and the refund webhook', async () => {
    const auth = `Bearer ${keys('paystack').secretKey}`;
    const init = await call('/paystack/transaction/initialize', auth, 'POST', { email: 'conf@example.com', amount: 5000, currency: 'NGN', reference: 'conf-ps-auth1' });
    expectConforms(init.body, fixture('paystack', 'initialize-success'));
    await payAtCheckout((init.body.data as { authorization_url: string }).authorization_url, '4084084084084081');
    const verify = await call('/paystack/transaction/verify/conf-ps-auth1', auth);
    expectConforms(verify.body, fixture('paystack', 'verify-success'), { status: true, message: '', data: { id: 1, status: '', reference: '', amount: 1, currency: '', authorization: { authorization_code: '', reusable: true, brand: '' }, customer: { customer_code: '' } } });
    const code = ((verify.body.data as { authorization: { authorization_code: string } }).authorization).authorization_code;
    const charge = await call('/paystack/transaction/charge_authorization', auth, 'POST', { email: 'conf@example.com', amount: 5000, currency: 'NGN', authorization_code: code, reference: 'conf-ps-c1-a1' });
    expectConforms(charge.body, fixture('paystack', 'charge-authorization-success'), { status: true, data: { status: '', reference: '', authorization: { reusable: true } } });
    const dup = await call('/paystack/transaction/charge_authorization', auth, 'POST', { email: 'conf@example.com', amount: 5000, currency: 'NGN', authorization_code: code, reference: 'conf-ps-c1-a1' });
    expect(dup.body).toEqual(body(fixture('paystack', 'charge-authorization-duplicate-reference')));
    const missing = await call('/paystack/transaction/verify/conf-ps-c9-a1', auth);
    expect(missing.body).toEqual(body(fixture('paystack', 'verify-not-found')));
    const refund = await call('/paystack/refund', auth, 'POST', { transaction: 'conf-ps-auth1', amount: 5000, merchant_note: 'chargeloop:conf-ps-auth1-r1' });
    expectConforms(refund.body, fixture('paystack', 'refund-create'), { status: true, data: { id: 1, status: '', amount: 1, merchant_note: '' } });
    const list = await call('/paystack/refund?perPage=100', auth);
    // Compared with the API reference's list answer, which has `meta` (the snippets repo's example omits it).
    expectConforms(list.body, fixture('paystack', 'refund-list-page1-of-2'), { status: true, data: [{ id: 1, transaction: 1, merchant_note: '', status: '' }] });
    const processed = await webhook((w) => w.event === 'refund.processed');
    expectConforms(processed, fixture('paystack', 'webhook-refund-processed'), { event: '', data: { transaction_reference: '', amount: '', currency: '' } });
    expect(JSON.stringify(processed)).not.toContain('merchant_note');
    expectConforms(await webhook((w) => w.event === 'charge.success'), fixture('paystack', 'webhook-charge-success'), { event: '', data: { id: 1, reference: '', authorization: { reusable: true } } });
  });

  it('Paystack: GET /refund filters by transaction id and date, pages newest first with meta (https://paystack.com/docs/api/refund/#list)', async () => {
    const auth = `Bearer ${keys('paystack').secretKey}`;
    const paid = async (reference: string): Promise<number> => {
      const init = await call('/paystack/transaction/initialize', auth, 'POST', { email: 'pages@example.com', amount: 9000, currency: 'NGN', reference });
      await payAtCheckout((init.body.data as { authorization_url: string }).authorization_url, '4084084084084081');
      return ((await call(`/paystack/transaction/verify/${reference}`, auth)).body.data as { id: number }).id;
    };
    const [a, b] = [await paid('conf-pages-a-auth1'), await paid('conf-pages-b-auth1')];
    const before = new Date(Date.now() - 1000).toISOString();
    for (const [reference, n] of [['conf-pages-a-auth1', 1], ['conf-pages-b-auth1', 1], ['conf-pages-b-auth1', 2], ['conf-pages-b-auth1', 3]] as const) {
      expect((await call('/paystack/refund', auth, 'POST', { transaction: reference, amount: 1000, merchant_note: `chargeloop:${reference}-r${n}` })).body.status).toBe(true);
    }
    const list = async (query: string) => (await call(`/paystack/refund?${query}`, auth)).body as { data: { transaction: number; merchant_note: string }[]; meta: Record<string, number> };

    const ofA = await list(`transaction=${a}`);
    expectConforms(ofA, fixture('paystack', 'refund-list-page1-of-2'), { status: true, data: [{ id: 1, transaction: 1, merchant_note: '', status: '' }], meta: { total: 1, skipped: 1, perPage: 1, page: 1, pageCount: 1 } });
    expect(ofA.data.map((r) => [r.transaction, r.merchant_note])).toEqual([[a, 'chargeloop:conf-pages-a-auth1-r1']]);
    expect(ofA.meta).toEqual({ total: 1, skipped: 0, perPage: 50, page: 1, pageCount: 1 });

    const page1 = await list(`transaction=${b}&perPage=2&page=1`);
    const page2 = await list(`transaction=${b}&perPage=2&page=2`);
    expect([...page1.data, ...page2.data].map((r) => r.merchant_note)).toEqual(['r3', 'r2', 'r1'].map((n) => `chargeloop:conf-pages-b-auth1-${n}`));
    expect([page1.meta, page2.meta]).toEqual([{ total: 3, skipped: 0, perPage: 2, page: 1, pageCount: 2 }, { total: 3, skipped: 2, perPage: 2, page: 2, pageCount: 2 }]);

    expect((await list(`transaction=${b}&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data).toEqual([]);
    expect((await list(`transaction=${b}&from=${encodeURIComponent(before)}`)).meta.total).toBe(3);
    expect((await list(`transaction=${b}&to=${encodeURIComponent(before)}`)).data).toEqual([]);
  });

  it('Flutterwave: hosted link, verify, tokenized charge, refund without idempotency, list refunds and charge.completed', async () => {
    const auth = `Bearer ${keys('flutterwave').secretKey}`;
    const link = await call('/flutterwave/v3/payments', auth, 'POST', { tx_ref: 'conf-fw-auth1', amount: 100, currency: 'NGN', customer: { email: 'conf@example.com' } });
    expectConforms(link.body, fixture('flutterwave', 'payments-hosted-link'));
    await payAtCheckout((link.body.data as { link: string }).link, '4084084084084081');
    const verify = await call('/flutterwave/v3/transactions/verify_by_reference?tx_ref=conf-fw-auth1', auth);
    expectConforms(verify.body, fixture('flutterwave', 'verify-successful'), { status: '', data: { id: 1, tx_ref: '', status: '', amount: 1, currency: '', card: { token: '', type: '' } } });
    const tx = verify.body.data as { id: number; card: { token: string } };
    const charge = await call('/flutterwave/v3/tokenized-charges', auth, 'POST', { token: tx.card.token, email: 'conf@example.com', currency: 'NGN', amount: 100, tx_ref: 'conf-fw-c1-a1' });
    expectConforms(charge.body, fixture('flutterwave', 'tokenized-charge-success'));
    expect(await call('/flutterwave/v3/transactions/verify_by_reference?tx_ref=nope', auth)).toEqual({ status: 400, body: body(fixture('flutterwave', 'verify-not-found')) });
    const refund = () => call(`/flutterwave/v3/transactions/${tx.id}/refund`, auth, 'POST', { amount: 10, comments: 'chargeloop:conf-fw-auth1-r1' });
    const first = await refund();
    expectConforms(first.body, fixture('flutterwave', 'refund-initiated'));
    // v3: the same request again is a second refund (no idempotency), as documented.
    const second = await refund();
    expect((second.body.data as { id: number }).id).not.toBe((first.body.data as { id: number }).id);
    const list = await call('/flutterwave/v3/refunds', auth);
    expectConforms(list.body, fixture('flutterwave', 'refunds-list-earlier'), { status: '', data: [{ id: 1, tx_id: 1, amount_refunded: 1, status: '', comments: '' }] });
    const completed = await webhook((w) => w.event === 'charge.completed');
    expectConforms(completed, fixture('flutterwave', 'webhook-charge-completed-successful'), { event: '', data: { id: 1, tx_ref: '', status: '', amount: 1, currency: '' } });
    expect(JSON.stringify(completed)).not.toContain('"token"');
  });

  it('Razorpay: registration link, orders, recurring payment, order_already_paid, order payments, refund and webhooks', async () => {
    const k = keys('razorpay');
    const auth = `Basic ${Buffer.from(`${k.keyId}:${k.keySecret}`).toString('base64')}`;
    const noContact = await call('/razorpay/v1/subscription_registration/auth_links', auth, 'POST', { customer: { email: 'conf@example.com' }, type: 'link', amount: 49_900, currency: 'INR', receipt: 'conf-rz-auth0' });
    expect(noContact.status).toBe(400);
    const link = await call('/razorpay/v1/subscription_registration/auth_links', auth, 'POST', { customer: { email: 'conf@example.com', contact: '+919876543210' }, type: 'link', amount: 49_900, currency: 'INR', receipt: 'conf-rz-auth1' });
    expectConforms(link.body, fixture('razorpay', 'auth-link-created'), { id: '', order_id: '', short_url: '', receipt: '', status: '' });
    await payAtCheckout(link.body.short_url as string, '4100280000001007');
    const authPayments = await call(`/razorpay/v1/orders/${String(link.body.order_id)}/payments`, auth);
    expectConforms(authPayments.body, fixture('razorpay', 'order-payments-captured'), { entity: '', count: 1, items: [{ id: '', status: '', amount: 1, currency: '', order_id: '', token_id: '', customer_id: '', card: { last4: '', network: '' } }] });
    const p = (authPayments.body.items as { token_id: string; customer_id: string }[])[0]!;
    const order = await call('/razorpay/v1/orders', auth, 'POST', { amount: 49_900, currency: 'INR', receipt: 'conf-rz-c1-a1', payment_capture: true, notes: { chargeloop_reference: 'conf-rz-c1-a1' } });
    expectConforms(order.body, fixture('razorpay', 'orders-create'));
    const recurring = { email: 'conf@example.com', contact: '+919876543210', amount: 49_900, currency: 'INR', order_id: order.body.id, customer_id: p.customer_id, token: p.token_id, recurring: true };
    const created = await call('/razorpay/v1/payments/create/recurring', auth, 'POST', recurring);
    expectConforms(created.body, fixture('razorpay', 'recurring-payment-created'));
    const again = await call('/razorpay/v1/payments/create/recurring', auth, 'POST', recurring);
    expect(again).toEqual({ status: 400, body: body(fixture('razorpay', 'recurring-order-already-paid')) });
    const refund = await call(`/razorpay/v1/payments/${String(created.body.razorpay_payment_id)}/refund`, auth, 'POST', { amount: 100, receipt: 'conf-rz-c1-a1-r1' });
    expectConforms(refund.body, fixture('razorpay', 'refund-created'), { id: '', amount: 1, currency: '', status: '', receipt: '' });
    const renewalOf = (w: Record<string, unknown>) => (w.payload as { payment?: { entity: { order_id: string } } }).payment?.entity.order_id === order.body.id;
    expectConforms(await webhook((w) => w.event === 'payment.captured' && renewalOf(w)), fixture('razorpay', 'webhook-payment-captured'));
  });
});
