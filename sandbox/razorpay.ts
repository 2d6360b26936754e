import express, { Router, type Request, type Response } from 'express';
import type { RazorpayConnection } from '../src/gateways/connections';
import { OUTCOME_TEXT, type Outcome, type TestCard } from './cards';
import { connectionsOf, str, type SandboxContext } from './context';

type Notes = Record<string, unknown>;
interface Order { id: string; entity: 'order'; amount: number; amount_paid: number; currency: string; receipt: string | null; status: 'created' | 'attempted' | 'paid'; notes: Notes; created_at: number; connectionId: string }
interface Payment {
  id: string; entity: 'payment'; amount: number; currency: string; status: 'captured' | 'failed'; order_id: string; invoice_id: string | null; method: 'card'; captured: boolean;
  email: string; contact: string | null; customer_id: string; token_id: string | null; recurring: boolean; notes: Notes; created_at: number; amount_refunded: number;
  card: { last4: string; network: string; expiry_month: string; expiry_year: string };
  error_code: string | null; error_description: string | null; error_reason: string | null; error_source: string | null; error_step: string | null; connectionId: string;
}
interface Invoice { id: string; entity: 'invoice'; type: 'link'; receipt: string | null; order_id: string; customer_id: string; short_url: string; status: 'issued' | 'paid'; amount: number; currency: string; connectionId: string }

const fail = (res: Response, status: number, description: string, extra: Record<string, unknown> = {}) =>
  res.status(status).json({ error: { code: 'BAD_REQUEST_ERROR', description, source: 'business', step: 'payment_initiation', reason: 'input_validation_failed', metadata: {}, ...extra } });
const strip = <T extends { connectionId: string }>({ connectionId: _c, ...rest }: T) => rest;
const collection = (items: unknown[]) => ({ entity: 'collection', count: items.length, items });
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

/** The slice of https://api.razorpay.com/v1 Chargeloop calls: same paths, HTTP Basic key_id:key_secret, subunit amounts. */
export function createRazorpayFake(ctx: SandboxContext): Router {
  const orders = new Map<string, Order>();
  const payments = new Map<string, Payment>();
  const invoices = new Map<string, Invoice>();
  const refundsByKey = new Map<string, { body: string; refund: Record<string, unknown> }>();
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.use((req, res, next) => {
    const m = /^Basic (.+)$/.exec(req.get('authorization') ?? ''); // exactly "Basic", as Razorpay requires
    const [keyId, keySecret] = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8').split(':') : [];
    const conn = connectionsOf(ctx, 'razorpay').find((c) => c.gateway === 'razorpay' && c.keys.keyId === keyId && c.keys.keySecret === keySecret);
    if (!conn) return res.status(401).json({ error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed', source: 'NA', step: 'NA', reason: 'NA' } });
    res.locals.conn = conn;
    next();
  });
  const connOf = (res: Response) => res.locals.conn as RazorpayConnection;
  const mine = <T extends { connectionId: string }>(res: Response, x: T | undefined) => (x && x.connectionId === connOf(res).id ? x : undefined);

  function createOrder(conn: RazorpayConnection, body: Record<string, unknown>, res: Response): Order | undefined {
    const amount = body.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 100) return void fail(res, 400, 'The amount must be atleast INR 1.00');
    const receipt = typeof body.receipt === 'string' ? body.receipt : null;
    if (receipt && receipt.length > 40) return void fail(res, 400, 'receipt: The receipt may not be greater than 40 characters.');
    if (receipt && [...orders.values()].some((o) => o.connectionId === conn.id && o.receipt === receipt)) return void fail(res, 400, 'receipt must be unique');
    const order: Order = { id: ctx.id('order_'), entity: 'order', amount, amount_paid: 0, currency: typeof body.currency === 'string' ? body.currency : 'INR', receipt, status: 'created', notes: (body.notes ?? {}) as Notes, created_at: unix(ctx.now()), connectionId: conn.id };
    orders.set(order.id, order);
    return order;
  }

  /** One payment attempt on an order; webhooks as Razorpay sends them (captured + order.paid, or payment.failed). */
  function pay(conn: RazorpayConnection, order: Order, card: TestCard, outcome: Outcome, p: { email: string; contact: string | null; customerId: string; tokenId: string | null; recurring: boolean; notes: Notes; invoice?: Invoice }): Payment {
    const text = OUTCOME_TEXT[outcome];
    const payment: Payment = {
      id: ctx.id('pay_'), entity: 'payment', amount: order.amount, currency: order.currency, status: outcome === 'success' ? 'captured' : 'failed', order_id: order.id, invoice_id: p.invoice?.id ?? null,
      method: 'card', captured: outcome === 'success', email: p.email, contact: p.contact, customer_id: p.customerId, token_id: outcome === 'success' ? p.tokenId : null, recurring: p.recurring,
      notes: { ...order.notes, ...p.notes }, created_at: unix(ctx.now()), amount_refunded: 0,
      card: { last4: card.number.slice(-4), network: card.brand === 'visa' ? 'Visa' : 'MasterCard', expiry_month: '12', expiry_year: '2030' },
      error_code: outcome === 'success' ? null : 'BAD_REQUEST_ERROR', error_description: outcome === 'success' ? null : outcome === 'insufficient_funds' ? 'Payment failed due to insufficient balance in customer account' : 'Your payment has been declined by the bank',
      error_reason: outcome === 'success' ? null : text.code, error_source: outcome === 'success' ? null : 'bank', error_step: outcome === 'success' ? null : 'payment_authorization', connectionId: conn.id,
    };
    payments.set(payment.id, payment);
    const event = (name: string, payload: Record<string, unknown>) =>
      ctx.sender.send(conn, ctx.id('evt_'), name, { entity: 'event', account_id: 'acc_sandbox', event: name, contains: Object.keys(payload), payload, created_at: unix(ctx.now()) });
    const pe = { payment: { entity: strip(payment) } };
    if (outcome !== 'success') {
      order.status = 'attempted';
      event('payment.failed', pe);
      return payment;
    }
    order.status = 'paid';
    order.amount_paid = order.amount;
    event('payment.captured', pe);
    event('order.paid', { ...pe, order: { entity: strip(order) } });
    if (p.invoice) {
      p.invoice.status = 'paid';
      event('invoice.paid', { ...pe, order: { entity: strip(order) }, invoice: { entity: strip(p.invoice) } });
    }
    return payment;
  }

  router.post('/subscription_registration/auth_links', (req: Request, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const customer = (body.customer ?? {}) as Record<string, unknown>;
    if (typeof customer.email !== 'string') return fail(res, 400, 'customer.email is required');
    if (typeof body.receipt === 'string' && [...invoices.values()].some((i) => i.connectionId === conn.id && i.receipt === body.receipt)) return fail(res, 400, 'receipt must be unique');
    const order = createOrder(conn, body, res);
    if (!order) return;
    const customerId = `cust_${Buffer.from(customer.email).toString('hex').slice(0, 14)}`;
    const invoice: Invoice = { id: ctx.id('inv_'), entity: 'invoice', type: 'link', receipt: order.receipt, order_id: order.id, customer_id: customerId, short_url: '', status: 'issued', amount: order.amount, currency: order.currency, connectionId: conn.id };
    invoice.short_url = `${ctx.publicUrl(req)}/checkout/${invoice.id}`;
    invoices.set(invoice.id, invoice);
    const contact = typeof customer.contact === 'string' ? customer.contact : null;
    ctx.state.sessions.set(invoice.id, {
      id: invoice.id, gateway: 'razorpay', connectionId: conn.id, reference: order.receipt ?? invoice.id, amount: order.amount, currency: order.currency, email: customer.email, status: 'open',
      pay: (card, outcome) => {
        const tokenId = ctx.id('token_');
        pay(conn, order, card, outcome, { email: customer.email as string, contact, customerId, tokenId, recurring: true, notes: {}, invoice });
        if (outcome === 'success') {
          ctx.state.cards.set(tokenId, { token: tokenId, gateway: 'razorpay', connectionId: conn.id, email: customer.email as string, customerId, card });
          const s = ctx.state.sessions.get(invoice.id);
          if (s) s.status = 'paid';
        }
        return {};
      },
    });
    res.json(strip(invoice));
  });

  router.get('/invoices', (req, res) => {
    const receipt = typeof req.query.receipt === 'string' ? req.query.receipt : undefined;
    res.json(collection([...invoices.values()].filter((i) => i.connectionId === connOf(res).id && (!receipt || i.receipt === receipt)).map(strip)));
  });

  router.post('/orders', (req, res) => {
    const order = createOrder(connOf(res), req.body as Record<string, unknown>, res);
    if (order) res.json(strip(order));
  });

  router.get('/orders', (req, res) => {
    const receipt = typeof req.query.receipt === 'string' ? req.query.receipt : undefined;
    res.json(collection([...orders.values()].filter((o) => o.connectionId === connOf(res).id && (!receipt || o.receipt === receipt)).map(strip)));
  });

  router.get('/orders/:id/payments', (req, res) => {
    const order = mine(res, orders.get(String(req.params.id)));
    if (!order) return fail(res, 400, 'The id provided does not exist');
    res.json(collection([...payments.values()].filter((p) => p.order_id === order.id).map(strip)));
  });

  router.post('/payments/create/recurring', (req, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const order = mine(res, orders.get(str(body.order_id)));
    if (!order) return fail(res, 400, 'The id provided does not exist');
    if (order.status === 'paid') return fail(res, 400, 'Order has already been paid');
    if (body.amount !== order.amount || body.currency !== order.currency) return fail(res, 400, 'The amount and currency must match the order');
    const stored = ctx.state.cards.get(str(body.token));
    if (!stored || stored.connectionId !== conn.id || stored.customerId !== body.customer_id) return fail(res, 400, 'The token provided does not exist or does not belong to the customer');
    const outcome = ctx.state.nextOutcome(stored);
    const payment = pay(conn, order, stored.card, outcome, { email: str(body.email) || stored.email, contact: typeof body.contact === 'string' ? body.contact : null, customerId: stored.customerId ?? '', tokenId: stored.token, recurring: true, notes: (body.notes ?? {}) as Notes });
    if (payment.status === 'failed') {
      return fail(res, 400, payment.error_description ?? 'Payment failed', { source: 'bank', step: 'payment_authorization', reason: payment.error_reason, metadata: { payment_id: payment.id, order_id: order.id } });
    }
    res.json({ razorpay_payment_id: payment.id, razorpay_order_id: order.id, razorpay_signature: 'sandbox' });
  });

  router.get('/payments/:id', (req, res) => {
    const payment = mine(res, payments.get(String(req.params.id)));
    if (!payment) return fail(res, 400, 'The id provided does not exist');
    res.json(strip(payment));
  });

  router.get('/payments', (req, res) => {
    const count = Math.min(Number(req.query.count ?? 10) || 10, 100);
    res.json(collection([...payments.values()].filter((p) => p.connectionId === connOf(res).id).slice(-count).map(strip)));
  });

  router.post('/payments/:id/refund', (req, res) => {
    const conn = connOf(res);
    const payment = mine(res, payments.get(String(req.params.id)));
    if (!payment) return fail(res, 400, 'The id provided does not exist');
    const key = req.get('x-refund-idempotency');
    const bodyText = JSON.stringify(req.body);
    if (key !== undefined && !/^[A-Za-z0-9_-]{10,}$/.test(key)) return fail(res, 400, 'X-Refund-Idempotency must be at least 10 characters of [A-Za-z0-9_-]');
    const earlier = key ? refundsByKey.get(key) : undefined;
    if (earlier) return earlier.body === bodyText ? res.json(earlier.refund) : fail(res, 400, 'Idempotency key reused with a different request');
    const body = req.body as Record<string, unknown>;
    const amount = typeof body.amount === 'number' ? body.amount : payment.amount - payment.amount_refunded;
    if (payment.status !== 'captured' || amount <= 0 || amount > payment.amount - payment.amount_refunded) return fail(res, 400, 'The refund amount provided is greater than amount captured');
    payment.amount_refunded += amount;
    const refund: Record<string, unknown> = { id: ctx.id('rfnd_'), entity: 'refund', amount, currency: payment.currency, payment_id: payment.id, notes: body.notes ?? {}, receipt: body.receipt ?? null, status: 'pending', speed_requested: 'normal', speed_processed: 'normal', created_at: unix(ctx.now()) };
    if (key) refundsByKey.set(key, { body: bodyText, refund });
    const send = (name: string) => ctx.sender.send(conn, ctx.id('evt_'), name, { entity: 'event', account_id: 'acc_sandbox', event: name, contains: ['refund', 'payment'], payload: { refund: { entity: { ...refund } }, payment: { entity: strip(payment) } }, created_at: unix(ctx.now()) });
    send('refund.created');
    ctx.later(60_000, () => {
      refund.status = 'processed';
      send('refund.processed');
    });
    res.json(refund);
  });
  return router;
}
