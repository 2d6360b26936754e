import express, { Router, type Request, type Response } from 'express';
import type { RazorpayAccount } from './accounts';
import type { Outcome, TestCard } from './cards';
import { accountsOf, renewalOutcome, str, testCardOf, type SandboxContext } from './context';

/**
 * The slice of https://api.razorpay.com/v1 Chargeloop calls. Shapes and error texts: razorpay/markdown-docs
 * (api/orders, api/payments, errors/payments/list.md, webhooks/*) and the official SDK's typings.
 */
type Notes = Record<string, unknown>;
interface Order { id: string; entity: 'order'; amount: number; amount_paid: number; amount_due: number; currency: string; receipt: string | null; offer_id: null; status: 'created' | 'attempted' | 'paid'; attempts: number; notes: Notes; created_at: number; connectionId: string }
interface Payment {
  id: string; entity: 'payment'; amount: number; currency: string; status: 'created' | 'captured' | 'failed'; order_id: string; invoice_id: string | null; international: boolean; method: 'card';
  amount_refunded: number; refund_status: null | 'partial' | 'full'; captured: boolean; description: string | null; card_id: string; bank: null; wallet: null; vpa: null;
  email: string; contact: string | null; customer_id: string; token_id: string | null; notes: Notes; fee: number | null; tax: number | null; created_at: number;
  card: { id: string; entity: 'card'; name: string; last4: string; network: string; type: 'credit' | 'debit'; issuer: string | null; international: boolean; emi: boolean; expiry_month: string; expiry_year: string };
  error_code: string | null; error_description: string | null; error_reason: string | null; error_source: string | null; error_step: string | null; connectionId: string;
}
interface Invoice { id: string; entity: 'invoice'; type: 'link'; receipt: string | null; order_id: string; customer_id: string; short_url: string; status: 'issued' | 'paid'; amount: number; currency: string; connectionId: string }
interface Books {
  orders: Record<string, Order>;
  payments: Record<string, Payment>;
  invoices: Record<string, Invoice>;
  tokens: Record<string, { id: string; customer_id: string; connectionId: string }>;
  refundsByKey: Record<string, { body: string; refund: Record<string, unknown> }>;
  /** Recurring debits announced but not yet made (pre-debit notification): payment id → when, and how it ends. */
  debits?: Record<string, { dueAt: number; outcome: Outcome }>;
}

export interface RazorpayFakeOptions {
  /**
   * Razorpay sends a pre-debit notification for a recurring card payment and debits about 36 h 5 min later (when
   * the merchant sends no `notification` object; Chargeloop sends none). 0 (the default) debits at once, as the
   * sandbox always did. The debit happens when the calling subscription's clock passes it (sandbox/virtual-clock.ts),
   * so a test clock reaches it, or after the scaled delay with its webhooks.
   */
  preDebitMs?: number;
}

const errorBody = (description: string, reason: string, source = 'business', step = 'payment_initiation', metadata: Record<string, unknown> = {}) => ({
  error: { code: 'BAD_REQUEST_ERROR', description, source, step, reason, metadata },
});
const fail = (res: Response, status: number, description: string, reason = 'input_validation_failed') => res.status(status).json(errorBody(description, reason));
const strip = <T extends { connectionId: string }>({ connectionId: _c, ...rest }: T) => rest;
const collection = (items: unknown[]) => ({ entity: 'collection', count: items.length, items });
const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const NETWORK: Record<string, string> = { visa: 'Visa', mastercard: 'MasterCard' };
/** Documented error reasons and texts (errors/payments/list.md). */
const FAILURE: Record<Exclude<Outcome, 'success' | 'pending'>, { reason: string; description: string; source: string }> = {
  decline: { reason: 'card_declined', description: 'Your payment has been declined by the bank', source: 'bank' },
  insufficient_funds: { reason: 'insufficient_funds', description: 'Payment failed due to insufficient balance in customer account', source: 'customer' },
};

export function createRazorpayFake(ctx: SandboxContext, options: RazorpayFakeOptions = {}): Router {
  const books = ctx.state.book<Books>('razorpay', () => ({ orders: {}, payments: {}, invoices: {}, tokens: {}, refundsByKey: {} }));
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.use((req, res, next) => {
    const m = /^Basic (.+)$/.exec(req.get('authorization') ?? ''); // exactly "Basic", as Razorpay requires
    const [keyId, keySecret] = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8').split(':') : [];
    const conn = accountsOf(ctx, 'razorpay').find((c) => c.gateway === 'razorpay' && c.keys.keyId === keyId && c.keys.keySecret === keySecret);
    if (!conn) return res.status(401).json({ error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed', source: 'NA', step: 'NA', reason: 'NA', metadata: {} } });
    res.locals.conn = conn;
    res.on('finish', () => ctx.state.save());
    debitDue();
    next();
  });
  const connOf = (res: Response) => res.locals.conn as RazorpayAccount;
  const mine = <T extends { connectionId: string }>(res: Response, x: T | undefined) => (x && x.connectionId === connOf(res).id ? x : undefined);
  const event = (conn: RazorpayAccount, name: string, payload: Record<string, unknown>) =>
    ctx.sender.send(conn, ctx.id('evt_'), name, { entity: 'event', account_id: 'acc_sandbox', event: name, contains: Object.keys(payload), payload, created_at: unix(ctx.now()) });

  function createOrder(conn: RazorpayAccount, body: Record<string, unknown>, res: Response): Order | undefined {
    const amount = body.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 100) return void fail(res, 400, 'The amount must be atleast INR 1.00');
    const receipt = typeof body.receipt === 'string' ? body.receipt : null;
    if (receipt && receipt.length > 40) return void fail(res, 400, 'receipt: The receipt may not be greater than 40 characters.');
    const order: Order = {
      id: ctx.id('order_'), entity: 'order', amount, amount_paid: 0, amount_due: amount, currency: typeof body.currency === 'string' ? body.currency : 'INR', receipt, offer_id: null, status: 'created',
      attempts: 0, notes: (body.notes ?? {}) as Notes, created_at: unix(ctx.now()), connectionId: conn.id,
    };
    books.orders[order.id] = order;
    return order;
  }

  /** One payment attempt on an order; webhooks as Razorpay sends them (captured + order.paid, or payment.failed). */
  function pay(conn: RazorpayAccount, order: Order, card: TestCard, outcome: Outcome, p: { email: string; contact: string | null; customerId: string; tokenId: string | null; notes: Notes; invoice?: Invoice; debitAt?: number }): Payment {
    const failure = outcome === 'success' || outcome === 'pending' || p.debitAt !== undefined ? undefined : FAILURE[outcome];
    const payment: Payment = {
      id: ctx.id('pay_'), entity: 'payment', amount: order.amount, currency: order.currency, status: failure ? 'failed' : 'captured', order_id: order.id, invoice_id: p.invoice?.id ?? null,
      international: false, method: 'card', amount_refunded: 0, refund_status: null, captured: !failure, description: null, card_id: ctx.id('card_'), bank: null, wallet: null, vpa: null,
      email: p.email, contact: p.contact, customer_id: p.customerId, token_id: failure ? null : p.tokenId, notes: { ...order.notes, ...p.notes }, fee: null, tax: null,
      created_at: unix(ctx.now()),
      card: { id: ctx.id('card_'), entity: 'card', name: 'Sandbox Customer', last4: card.number.slice(-4), network: NETWORK[card.brand] ?? card.brand, type: 'credit', issuer: null, international: false, emi: false, expiry_month: '12', expiry_year: '2030' },
      error_code: failure ? 'BAD_REQUEST_ERROR' : null, error_description: failure?.description ?? null, error_reason: failure?.reason ?? null, error_source: failure?.source ?? null,
      error_step: failure ? 'payment_authorization' : null, connectionId: conn.id,
    };
    books.payments[payment.id] = payment;
    order.attempts += 1;
    if (p.debitAt !== undefined) {
      // Announced, not debited: the payment stays `created` (Chargeloop reads it as pending) until the debit.
      Object.assign(payment, { status: 'created', captured: false });
      order.status = 'attempted';
      (books.debits ??= {})[payment.id] = { dueAt: p.debitAt, outcome };
      return payment;
    }
    return settle(conn, order, payment, failure, p.invoice);
  }

  /** A payment's final status, with the webhooks Razorpay sends for it (captured + order.paid, or payment.failed). */
  function settle(conn: RazorpayAccount, order: Order, payment: Payment, failure: (typeof FAILURE)[keyof typeof FAILURE] | undefined, invoice?: Invoice): Payment {
    Object.assign(payment, {
      status: failure ? 'failed' : 'captured', captured: !failure, token_id: failure ? null : payment.token_id,
      error_code: failure ? 'BAD_REQUEST_ERROR' : null, error_description: failure?.description ?? null, error_reason: failure?.reason ?? null, error_source: failure?.source ?? null,
      error_step: failure ? 'payment_authorization' : null,
    });
    const pe = { payment: { entity: strip(payment) } };
    if (failure) {
      order.status = 'attempted';
      event(conn, 'payment.failed', pe);
      return payment;
    }
    order.status = 'paid';
    order.amount_paid = order.amount;
    order.amount_due = 0;
    event(conn, 'payment.captured', pe);
    event(conn, 'order.paid', { ...pe, order: { entity: strip(order) } });
    if (invoice) {
      invoice.status = 'paid';
      event(conn, 'invoice.paid', { ...pe, order: { entity: strip(order) }, invoice: { entity: strip(invoice) } });
    }
    return payment;
  }

  /** Makes an announced debit: the outcome decided when it was requested, stamped on the clock of now. */
  function debit(paymentId: string): void {
    const due = books.debits?.[paymentId];
    const payment = books.payments[paymentId];
    if (!due || !payment) return;
    delete books.debits![paymentId];
    const order = books.orders[payment.order_id]!;
    const conn = ctx.accounts.get(payment.connectionId) as RazorpayAccount;
    settle(conn, order, payment, due.outcome === 'success' || due.outcome === 'pending' ? undefined : FAILURE[due.outcome]);
  }

  /** Every announced debit whose time has come on the current request's clock (a test clock's, or the wall clock). */
  function debitDue(): void {
    const now = ctx.now().getTime();
    for (const [id, d] of Object.entries(books.debits ?? {})) if (d.dueAt <= now) debit(id);
  }



  ctx.checkout.razorpay = (session, card, outcome) => {
    const conn = ctx.accounts.get(session.connectionId) as RazorpayAccount;
    const invoice = books.invoices[session.book];
    const order = invoice && books.orders[invoice.order_id];
    if (!invoice || !order) return {};
    const tokenId = ctx.id('token_');
    pay(conn, order, card, outcome, { email: session.email, contact: null, customerId: invoice.customer_id, tokenId, notes: {}, invoice });
    if (outcome === 'success') {
      books.tokens[tokenId] = { id: tokenId, customer_id: invoice.customer_id, connectionId: conn.id };
      ctx.state.cards[tokenId] = { token: tokenId, gateway: 'razorpay', connectionId: conn.id, email: session.email, customerId: invoice.customer_id, cardNumber: card.number };
      session.status = 'paid';
    }
    return {};
  };

  router.post('/subscription_registration/auth_links', (req: Request, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const customer = (body.customer ?? {}) as Record<string, unknown>;
    if (typeof customer.email !== 'string') return fail(res, 400, 'The customer email field is required.');
    // customer.contact is mandatory for a registration link.
    if (typeof customer.contact !== 'string' || customer.contact === '') return fail(res, 400, 'The customer contact field is required.');
    if (typeof body.receipt === 'string' && Object.values(books.invoices).some((i) => i.connectionId === conn.id && i.receipt === body.receipt)) return fail(res, 400, 'receipt must be unique');
    const order = createOrder(conn, body, res);
    if (!order) return;
    const customerId = `cust_${Buffer.from(customer.email).toString('hex').slice(0, 14)}`;
    const invoice: Invoice = { id: ctx.id('inv_'), entity: 'invoice', type: 'link', receipt: order.receipt, order_id: order.id, customer_id: customerId, short_url: '', status: 'issued', amount: order.amount, currency: order.currency, connectionId: conn.id };
    invoice.short_url = `${ctx.publicUrl(req)}/checkout/${invoice.id}`;
    books.invoices[invoice.id] = invoice;
    ctx.state.sessions[invoice.id] = { id: invoice.id, gateway: 'razorpay', connectionId: conn.id, reference: order.receipt ?? invoice.id, amount: order.amount, currency: order.currency, email: customer.email, status: 'open', book: invoice.id };
    res.json(strip(invoice));
  });

  router.get('/invoices', (req, res) => {
    const receipt = typeof req.query.receipt === 'string' ? req.query.receipt : undefined;
    res.json(collection(Object.values(books.invoices).filter((i) => i.connectionId === connOf(res).id && (!receipt || i.receipt === receipt)).map(strip)));
  });

  router.post('/orders', (req, res) => {
    const order = createOrder(connOf(res), req.body as Record<string, unknown>, res);
    if (order) res.json(strip(order));
  });

  router.get('/orders', (req, res) => {
    const receipt = typeof req.query.receipt === 'string' ? req.query.receipt : undefined;
    res.json(collection(Object.values(books.orders).filter((o) => o.connectionId === connOf(res).id && (!receipt || o.receipt === receipt)).map(strip)));
  });

  router.get('/orders/:id/payments', (req, res) => {
    const order = mine(res, books.orders[String(req.params.id)]);
    if (!order) return fail(res, 400, 'The id provided does not exist');
    res.json(collection(Object.values(books.payments).filter((p) => p.order_id === order.id).map(strip)));
  });

  router.post('/payments/create/recurring', (req, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const order = mine(res, books.orders[str(body.order_id)]);
    if (!order) return fail(res, 400, 'The id provided does not exist');
    if (order.status === 'paid') return fail(res, 400, 'Your payment has been declined as the order is already paid. Please initiate the payment with a new order.', 'order_already_paid');
    if (body.amount !== order.amount || body.currency !== order.currency) return fail(res, 400, 'The amount and currency must match the order');
    const stored = ctx.state.cards[str(body.token)];
    if (!stored || stored.connectionId !== conn.id || stored.customerId !== body.customer_id || !books.tokens[stored.token]) return fail(res, 400, 'The token provided does not exist or does not belong to the customer');
    const outcome = renewalOutcome(ctx, stored);
    const preDebitMs = options.preDebitMs ?? 0;
    const debitAt = preDebitMs > 0 ? ctx.now().getTime() + preDebitMs : undefined;
    const payment = pay(conn, order, testCardOf(stored), outcome, { email: str(body.email) || stored.email, contact: typeof body.contact === 'string' ? body.contact : null, customerId: stored.customerId ?? '', tokenId: stored.token, notes: (body.notes ?? {}) as Notes, debitAt });
    if (debitAt !== undefined) {
      ctx.later(preDebitMs, () => {
        debit(payment.id);
        ctx.state.save();
      });
    }
    if (payment.status === 'failed') {
      return res.status(400).json(errorBody(payment.error_description ?? 'Payment failed', payment.error_reason ?? 'payment_failed', payment.error_source ?? 'bank', 'payment_authorization', { payment_id: payment.id, order_id: order.id }));
    }
    res.json({ razorpay_payment_id: payment.id, razorpay_order_id: order.id, razorpay_signature: 'sandbox' });
  });

  router.get('/payments/:id', (req, res) => {
    const payment = mine(res, books.payments[String(req.params.id)]);
    if (!payment) return fail(res, 400, 'The id provided does not exist');
    res.json(strip(payment));
  });

  router.get('/payments', (req, res) => {
    const count = Math.min(Number(req.query.count ?? 10) || 10, 100);
    res.json(collection(Object.values(books.payments).filter((p) => p.connectionId === connOf(res).id).slice(-count).map(strip)));
  });

  router.post('/payments/:id/refund', (req, res) => {
    const conn = connOf(res);
    const payment = mine(res, books.payments[String(req.params.id)]);
    if (!payment) return fail(res, 400, 'The id provided does not exist');
    const key = req.get('x-refund-idempotency');
    const bodyText = JSON.stringify(req.body);
    if (key !== undefined && !/^[A-Za-z0-9_-]{10,}$/.test(key)) return fail(res, 400, 'X-Refund-Idempotency must be at least 10 characters of [A-Za-z0-9_-]');
    const earlier = key ? books.refundsByKey[key] : undefined;
    if (earlier) return earlier.body === bodyText ? res.json(earlier.refund) : fail(res, 400, 'Idempotency key reused with a different request');
    const body = req.body as Record<string, unknown>;
    const amount = typeof body.amount === 'number' ? body.amount : payment.amount - payment.amount_refunded;
    if (payment.status !== 'captured' || amount <= 0 || amount > payment.amount - payment.amount_refunded) return fail(res, 400, 'The refund amount provided is greater than amount captured');
    payment.amount_refunded += amount;
    payment.refund_status = payment.amount_refunded === payment.amount ? 'full' : 'partial';
    const refund: Record<string, unknown> = {
      id: ctx.id('rfnd_'), entity: 'refund', amount, receipt: body.receipt ?? null, currency: payment.currency, payment_id: payment.id, notes: body.notes ?? {}, acquirer_data: { arn: null },
      created_at: unix(ctx.now()), batch_id: null, status: 'pending', speed_processed: 'normal', speed_requested: 'normal',
    };
    if (key) books.refundsByKey[key] = { body: bodyText, refund };
    const send = (name: string) => event(conn, name, { refund: { entity: { ...refund } }, payment: { entity: strip(payment) } });
    send('refund.created');
    // Normal-speed refunds settle later, by webhook.
    ctx.later(60_000, () => {
      refund.status = 'processed';
      ctx.state.save();
      send('refund.processed');
    });
    res.json(refund);
  });

  /** Test control: the customer revokes the card mandate at the bank (Razorpay sends token.cancelled). */
  ctx.revokeToken = (tokenId: string): boolean => {
    const token = books.tokens[tokenId];
    const conn = token && (ctx.accounts.get(token.connectionId) as RazorpayAccount | undefined);
    if (!token || !conn) return false;
    delete books.tokens[tokenId];
    event(conn, 'token.cancelled', {
      token: { entity: { id: token.id, entity: 'token', token: ctx.id('', 14), bank: null, wallet: null, method: 'card', recurring: true, recurring_details: { status: 'cancelled', failure_reason: null }, auth_type: null, mrn: null, used_at: unix(ctx.now()), created_at: unix(ctx.now()), expired_at: unix(ctx.now()) + 86_400 * 365, dcc_enabled: false } },
    });
    ctx.state.save();
    return true;
  };
  return router;
}
