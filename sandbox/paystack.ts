import express, { Router, type Request, type Response } from 'express';
import type { PaystackAccount } from './accounts';
import type { Outcome, TestCard } from './cards';
import { accountsOf, renewalOutcome, str, testCardOf, type SandboxContext } from './context';

/**
 * A Paystack transaction as the API returns it (amounts in subunits). Shapes: PaystackOSS/openapi and the
 * response examples in PaystackOSS/doc-code-snippets (src/api/transactions/*, src/api/refunds/*).
 */
interface Tx {
  id: number;
  domain: 'test' | 'live';
  status: 'abandoned' | 'success' | 'failed';
  reference: string;
  amount: number;
  currency: string;
  gateway_response: string;
  message: string | null;
  paid_at: string | null;
  created_at: string;
  channel: 'card';
  metadata: unknown;
  fees: number | null;
  customer: { id: number; first_name: string | null; last_name: string | null; email: string; customer_code: string; phone: string | null };
  authorization: Record<string, unknown> | null;
  plan: null;
}
interface Refund {
  id: number;
  integration: number;
  domain: 'test' | 'live';
  /** The transaction's id (GET /refund lists it as a number). */
  transaction: number;
  amount: number;
  deducted_amount: number | null;
  currency: string;
  channel: string | null;
  fully_deducted: boolean;
  refunded_by: string;
  expected_at: string;
  customer_note: string | null;
  merchant_note: string | null;
  status: 'pending' | 'processed';
  created_at: string;
}
interface Books {
  txs: Record<string, Tx & { connectionId: string; refunded: number }>;
  refunds: (Refund & { connectionId: string })[];
}

const fail = (res: Response, status: number, message: string) => res.status(status).json({ status: false, message });
/** Paystack's success envelope; lists add their `meta` (total, skipped, perPage, page, pageCount). */
const ok = (res: Response, message: string, data: unknown, meta?: Record<string, number>) => res.status(200).json({ status: true, message, data, ...(meta ? { meta } : {}) });
const publicTx = ({ connectionId: _c, refunded: _r, ...tx }: Books['txs'][string]): Tx => tx;
const publicRefund = ({ connectionId: _c, ...r }: Books['refunds'][number]): Refund => r;
const TEXT: Record<Outcome, string> = { success: 'Approved', decline: 'Declined', insufficient_funds: 'Insufficient Funds', pending: 'Transaction ongoing' };

/** The slice of https://api.paystack.co Chargeloop calls: same paths, Bearer secret key, subunit amounts. */
export function createPaystackFake(ctx: SandboxContext): Router {
  const books = ctx.state.book<Books>('paystack', () => ({ txs: {}, refunds: [] }));
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.use((req, res, next) => {
    const key = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const conn = accountsOf(ctx, 'paystack').find((c) => c.gateway === 'paystack' && c.keys.secretKey === key);
    if (!conn) return fail(res, 401, 'Invalid key');
    res.locals.conn = conn;
    // Every change is persisted once the answer is sent.
    res.on('finish', () => ctx.state.save());
    next();
  });
  const connOf = (res: Response) => res.locals.conn as PaystackAccount;
  const mine = (res: Response, tx: Books['txs'][string] | undefined) => (tx && tx.connectionId === connOf(res).id ? tx : undefined);

  function settle(conn: PaystackAccount, tx: Books['txs'][string], card: TestCard, outcome: Outcome, token: string): void {
    tx.gateway_response = TEXT[outcome];
    tx.authorization = {
      authorization_code: token, bin: card.number.slice(0, 6), last4: card.number.slice(-4), exp_month: '12', exp_year: '2030', channel: 'card',
      card_type: `${card.brand} `, bank: 'TEST BANK', country_code: 'NG', brand: card.brand, reusable: card.reusable, signature: `SIG_${card.number.slice(-8)}`, account_name: null,
    };
    if (outcome === 'pending') return; // stays "abandoned"/ongoing: Paystack may never finish it
    if (outcome !== 'success') {
      tx.status = 'failed'; // Paystack sends no webhook for failed charges.
      return;
    }
    tx.status = 'success';
    tx.paid_at = ctx.now().toISOString();
    ctx.sender.send(conn, `charge.success:${tx.id}`, 'charge.success', { event: 'charge.success', data: publicTx(tx) });
  }

  const amountOf = (v: unknown): number | undefined => {
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
  };

  function newTx(conn: PaystackAccount, body: Record<string, unknown>, res: Response) {
    const amount = amountOf(body.amount);
    const email = typeof body.email === 'string' ? body.email : undefined;
    const reference = typeof body.reference === 'string' ? body.reference : ctx.id('T', 15);
    if (!email || !amount) return void fail(res, 400, 'Invalid Email Address / Amount Passed');
    if (!/^[A-Za-z0-9.=-]+$/.test(reference)) return void fail(res, 400, 'Invalid transaction reference');
    if (books.txs[reference]) return void fail(res, 400, 'Duplicate Transaction Reference');
    const tx = {
      id: ctx.numericId(4_000_000_000), domain: conn.mode, status: 'abandoned' as const, reference, amount, currency: typeof body.currency === 'string' ? body.currency : 'NGN',
      gateway_response: 'The transaction was not completed', message: null, paid_at: null, created_at: ctx.now().toISOString(), channel: 'card' as const, metadata: body.metadata ?? null, fees: null,
      customer: { id: 181_000_000 + (email.length % 1000), first_name: null, last_name: null, email, customer_code: `CUS_${email.replace(/[^a-z0-9]/gi, '').slice(0, 12).toLowerCase()}`, phone: null },
      authorization: null, plan: null, connectionId: conn.id, refunded: 0,
    };
    books.txs[reference] = tx;
    return tx;
  }

  ctx.checkout.paystack = (session, card, outcome) => {
    const conn = ctx.accounts.get(session.connectionId) as PaystackAccount;
    const tx = books.txs[session.book];
    if (!tx) return {};
    const token = `AUTH_${ctx.id('', 10).toLowerCase()}`;
    settle(conn, tx, card, outcome, token);
    if (outcome !== 'success') return {};
    ctx.state.cards[token] = { token, gateway: 'paystack', connectionId: conn.id, email: tx.customer.email, cardNumber: card.number };
    session.status = 'paid';
    const cb = session.redirectUrl;
    return cb ? { redirectTo: `${cb}${cb.includes('?') ? '&' : '?'}trxref=${encodeURIComponent(tx.reference)}&reference=${encodeURIComponent(tx.reference)}` } : {};
  };

  router.post('/transaction/initialize', (req: Request, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const tx = newTx(conn, body, res);
    if (!tx) return;
    const accessCode = ctx.id('', 15).toLowerCase();
    ctx.state.sessions[accessCode] = {
      id: accessCode, gateway: 'paystack', connectionId: conn.id, reference: tx.reference, amount: tx.amount, currency: tx.currency, email: tx.customer.email, status: 'open',
      book: tx.reference, ...(typeof body.callback_url === 'string' ? { redirectUrl: body.callback_url } : {}),
    };
    ok(res, 'Authorization URL created', { authorization_url: `${ctx.publicUrl(req)}/checkout/${accessCode}`, access_code: accessCode, reference: tx.reference });
  });

  router.post('/transaction/charge_authorization', (req, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const stored = ctx.state.cards[str(body.authorization_code)];
    if (!stored || stored.connectionId !== conn.id) return fail(res, 400, 'Authorization code does not exist or has been deactivated');
    if (!testCardOf(stored).reusable) return fail(res, 400, 'This authorization is not reusable');
    if (stored.email !== body.email) return fail(res, 400, 'Email does not match Authorization code');
    const tx = newTx(conn, body, res);
    if (!tx) return;
    settle(conn, tx, testCardOf(stored), renewalOutcome(ctx, stored), stored.token);
    ok(res, 'Charge attempted', publicTx(tx));
  });

  router.get('/transaction/verify/:reference', (req, res) => {
    const tx = mine(res, books.txs[String(req.params.reference)]);
    if (!tx) return fail(res, 400, 'Transaction reference not found');
    ok(res, 'Verification successful', publicTx(tx));
  });

  router.post('/refund', (req, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const key = str(body.transaction);
    const tx = mine(res, books.txs[key] ?? Object.values(books.txs).find((t) => String(t.id) === key));
    if (!tx) return fail(res, 404, 'Transaction not found');
    if (tx.status !== 'success') return fail(res, 400, 'Transaction has not been paid');
    const amount = body.amount === undefined ? tx.amount - tx.refunded : amountOf(body.amount);
    if (!amount || amount > tx.amount - tx.refunded) return fail(res, 400, 'Refund amount cannot be greater than transaction amount');
    tx.refunded += amount;
    const now = ctx.now();
    const refund = {
      id: ctx.numericId(3_000_000), integration: 412829, domain: conn.mode, transaction: tx.id, amount, deducted_amount: 0, currency: tx.currency, channel: null, fully_deducted: false,
      refunded_by: tx.customer.email, expected_at: new Date(now.getTime() + 7 * 86_400_000).toISOString(), customer_note: `Refund for transaction ${tx.reference}`,
      merchant_note: typeof body.merchant_note === 'string' ? body.merchant_note : null, status: 'pending' as Refund['status'], created_at: now.toISOString(), connectionId: conn.id,
    };
    books.refunds.push(refund);
    // Refunds are asynchronous at Paystack: pending now, processed later with a webhook that names the charge and
    // the amount only (no merchant_note, and Paystack's own refund_reference).
    ctx.later(60_000, () => {
      refund.status = 'processed';
      ctx.state.save();
      ctx.sender.send(conn, `refund.processed:${refund.id}`, 'refund.processed', {
        event: 'refund.processed',
        data: {
          status: 'processed', transaction_reference: tx.reference, refund_reference: String(ctx.numericId(132_000_000_000)), amount: String(amount), currency: tx.currency,
          processor: 'mpgs_zen', customer: { first_name: null, last_name: null, email: tx.customer.email }, integration: 412829, domain: conn.mode,
        },
      });
    });
    // The create answer embeds a summary of the transaction and names its timestamps createdAt/updatedAt.
    const { transaction: _t, created_at: createdAt, ...rest } = publicRefund(refund);
    const summary = { id: tx.id, domain: tx.domain, reference: tx.reference, amount: tx.amount, paid_at: tx.paid_at, channel: tx.channel, currency: tx.currency };
    ok(res, 'Refund has been queued for processing', { transaction: summary, ...rest, createdAt, updatedAt: createdAt });
  });

  /**
   * `GET /refund` (https://paystack.com/docs/api/refund/#list): newest first, filtered by `transaction` (the
   * transaction's id), `currency`, `from` and `to` (on created_at), paged by `perPage` (default 50) and `page`, with
   * the list `meta` Paystack sends (total, skipped, perPage, page, pageCount).
   */
  router.get('/refund', (req, res) => {
    const q = (name: string): string | undefined => (typeof req.query[name] === 'string' ? req.query[name] : undefined);
    const positive = (name: string, fallback: number): number => {
      const n = Number(q(name));
      return Number.isInteger(n) && n > 0 ? n : fallback;
    };
    const time = (name: string): number | undefined => {
      const t = Date.parse(q(name) ?? '');
      return Number.isNaN(t) ? undefined : t;
    };
    const [transaction, currency, from, to] = [q('transaction'), q('currency'), time('from'), time('to')];
    const perPage = Math.min(positive('perPage', 50), 100);
    const page = positive('page', 1);
    const matching = books.refunds.filter(
      (r) =>
        r.connectionId === connOf(res).id &&
        (transaction === undefined || String(r.transaction) === transaction) &&
        (currency === undefined || r.currency === currency) &&
        (from === undefined || Date.parse(r.created_at) >= from) &&
        (to === undefined || Date.parse(r.created_at) <= to),
    );
    const skipped = (page - 1) * perPage;
    const data = matching.reverse().slice(skipped, skipped + perPage).map(publicRefund);
    ok(res, 'Refunds retrieved', data, { total: matching.length, skipped, perPage, page, pageCount: Math.ceil(matching.length / perPage) });
  });

  router.get('/balance', (_req, res) => ok(res, 'Balances retrieved', [{ currency: 'NGN', balance: 0 }]));
  return router;
}
