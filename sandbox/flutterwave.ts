import express, { Router, type Request, type Response } from 'express';
import type { FlutterwaveAccount } from './accounts';
import type { Outcome, TestCard } from './cards';
import { accountsOf, renewalOutcome, str, testCardOf, type SandboxContext } from './context';
import { isCurrency, majorToMinor, minorToMajor } from './money';

/**
 * A Flutterwave v3 transaction (amounts in MAJOR units, as Flutterwave returns them). Shapes: the official SDK's
 * documentation (Flutterwave/Node-v3 documentation/transactions.md, tokenization.md) and the v3 API reference.
 */
interface Tx {
  id: number;
  tx_ref: string;
  flw_ref: string;
  redirect_url: string;
  device_fingerprint: string;
  amount: number;
  charged_amount: number;
  app_fee: number;
  merchant_fee: number;
  processor_response: string;
  auth_model: string;
  currency: string;
  ip: string;
  narration: string;
  status: 'pending' | 'successful' | 'failed';
  payment_type: 'card';
  created_at: string;
  account_id: number;
  customer: { id: number; phone_number: string | null; name: string | null; email: string; created_at: string };
  card: { first_6digits: string; last_4digits: string; issuer: string; country: string; type: string; expiry: string; token: string } | null;
  meta?: { authorization: { mode: 'redirect'; redirect: string } };
}
type BookTx = Tx & { connectionId: string; refundedMinor: number };
interface RefundRecord {
  id: number;
  account_id: number;
  tx_id: number;
  flw_ref: string;
  wallet_id: number;
  amount_refunded: number;
  status: 'completed';
  destination: 'payment_source';
  comments: string | null;
  meta: { source: 'availablebalance' };
  created_at: string;
  connectionId: string;
}
interface Books {
  txs: Record<string, BookTx>;
  refunds: RefundRecord[];
}

const fail = (res: Response, status: number, message: string, data: unknown = null) => res.status(status).json({ status: 'error', message, data });
const ok = (res: Response, message: string, data: unknown) => res.status(200).json({ status: 'success', message, data });
const publicTx = ({ connectionId: _c, refundedMinor: _r, ...tx }: BookTx): Tx => tx;
const TEXT: Record<Outcome, string> = { success: 'Approved', decline: 'Declined', insufficient_funds: 'Insufficient funds', pending: 'Pending validation' };
/** The webhook's card object carries no token (reference §2.3): Chargeloop gets it from verify. */
const webhookTx = (tx: BookTx) => {
  const { card, meta: _m, redirect_url: _r, ...rest } = publicTx(tx);
  return { ...rest, card: card ? { first_6digits: card.first_6digits, last_4digits: card.last_4digits, issuer: card.issuer, country: card.country, type: card.type, expiry: card.expiry } : null };
};

/** The slice of https://api.flutterwave.com/v3 Chargeloop calls: same paths, Bearer secret key, major-unit amounts. */
export function createFlutterwaveFake(ctx: SandboxContext): Router {
  const books = ctx.state.book<Books>('flutterwave', () => ({ txs: {}, refunds: [] }));
  const byRef = (ref: string) => Object.values(books.txs).find((t) => t.tx_ref === ref);
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.use((req, res, next) => {
    const key = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const conn = accountsOf(ctx, 'flutterwave').find((c) => c.gateway === 'flutterwave' && c.keys.secretKey === key);
    if (!conn) return fail(res, 401, 'Invalid authorization key');
    res.locals.conn = conn;
    res.on('finish', () => ctx.state.save());
    next();
  });
  const connOf = (res: Response) => res.locals.conn as FlutterwaveAccount;
  const mine = (res: Response, tx: BookTx | undefined) => (tx && tx.connectionId === connOf(res).id ? tx : undefined);

  function newTx(conn: FlutterwaveAccount, body: Record<string, unknown>, email: string, res: Response): BookTx | undefined {
    const currency = body.currency ?? 'NGN';
    const txRef = typeof body.tx_ref === 'string' && body.tx_ref !== '' ? body.tx_ref : undefined;
    if (!txRef) return void fail(res, 400, 'tx_ref is required');
    if (!isCurrency(currency)) return void fail(res, 400, 'Invalid currency');
    const minor = majorToMinor(body.amount, currency);
    if (minor === undefined || minor <= 0) return void fail(res, 400, 'Invalid amount');
    // tx_ref "must be unique"; what a repeat returns is undocumented, so this wording is the sandbox's own.
    if (byRef(txRef)) return void fail(res, 400, 'Transaction with this reference already exists');
    const id = ctx.numericId(285_000_000);
    const amount = minorToMajor(minor, currency);
    const now = ctx.now().toISOString();
    const tx: BookTx = {
      id, tx_ref: txRef, flw_ref: `FLW-MOCK-${id}`, redirect_url: typeof body.redirect_url === 'string' ? body.redirect_url : 'N/A', device_fingerprint: 'N/A', amount, charged_amount: amount, app_fee: 0, merchant_fee: 0, processor_response: 'Pending', auth_model: 'noauth',
      currency, ip: '127.0.0.1', narration: typeof body.narration === 'string' ? body.narration : 'CARD Transaction', status: 'pending', payment_type: 'card', created_at: now, account_id: 17321,
      customer: { id: 200_000 + (id % 1000), phone_number: null, name: null, email, created_at: now }, card: null, connectionId: conn.id, refundedMinor: 0,
    };
    books.txs[String(id)] = tx;
    return tx;
  }

  function settle(conn: FlutterwaveAccount, tx: BookTx, card: TestCard, outcome: Outcome, token: string): void {
    tx.processor_response = TEXT[outcome];
    tx.card = { first_6digits: card.number.slice(0, 6), last_4digits: card.number.slice(-4), issuer: `${card.brand.toUpperCase()} SANDBOX BANK`, country: 'NG', type: card.brand.toUpperCase(), expiry: '12/30', token };
    if (outcome === 'pending') {
      // The card asks for 3-D Secure: the customer must open the redirect, which nobody does for a renewal.
      tx.meta = { authorization: { mode: 'redirect', redirect: `https://sandbox.invalid/3ds/${tx.id}` } };
      return;
    }
    tx.status = outcome === 'success' ? 'successful' : 'failed';
    // Sent for successes and failures alike ("failed-transaction webhooks" ticked in the dashboard).
    ctx.sender.send(conn, `${tx.id}:${tx.status}`, 'charge.completed', { event: 'charge.completed', data: webhookTx(tx) });
  }

  ctx.checkout.flutterwave = (session, card, outcome) => {
    const conn = ctx.accounts.get(session.connectionId) as FlutterwaveAccount;
    const tx = books.txs[session.book];
    if (!tx) return {};
    const token = ctx.id('flw-t1nf-', 24);
    settle(conn, tx, card, outcome, token);
    if (outcome === 'success') {
      ctx.state.cards[token] = { token, gateway: 'flutterwave', connectionId: conn.id, email: tx.customer.email, cardNumber: card.number };
      session.status = 'paid';
    }
    const redirect = session.redirectUrl;
    return redirect ? { redirectTo: `${redirect}${redirect.includes('?') ? '&' : '?'}status=${outcome === 'success' ? 'successful' : 'failed'}&tx_ref=${encodeURIComponent(tx.tx_ref)}&transaction_id=${tx.id}` } : {};
  };

  router.post('/payments', (req: Request, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const customer = (body.customer ?? {}) as Record<string, unknown>;
    if (typeof customer.email !== 'string') return fail(res, 400, 'customer.email is required');
    const tx = newTx(conn, body, customer.email, res);
    if (!tx) return;
    const sessionId = ctx.id('flwchk_', 12);
    ctx.state.sessions[sessionId] = {
      id: sessionId, gateway: 'flutterwave', connectionId: conn.id, reference: tx.tx_ref, amount: majorToMinor(tx.amount, tx.currency) ?? 0, currency: tx.currency, email: customer.email, status: 'open',
      book: String(tx.id), ...(typeof body.redirect_url === 'string' ? { redirectUrl: body.redirect_url } : {}),
    };
    ok(res, 'Hosted Link', { link: `${ctx.publicUrl(req)}/checkout/${sessionId}` });
  });

  router.post('/tokenized-charges', (req, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const stored = ctx.state.cards[str(body.token)];
    if (!stored || stored.connectionId !== conn.id) return fail(res, 400, 'Token not found');
    if (stored.email !== body.email) return fail(res, 400, 'Email does not match the token');
    const tx = newTx(conn, body, stored.email, res);
    if (!tx) return;
    const outcome = renewalOutcome(ctx, stored);
    settle(conn, tx, testCardOf(stored), outcome, stored.token);
    if (outcome === 'success') return ok(res, 'Charge successful', publicTx(tx));
    if (outcome === 'pending') return ok(res, 'Charge initiated', publicTx(tx));
    fail(res, 400, TEXT[outcome], publicTx(tx));
  });

  router.get('/transactions/verify_by_reference', (req, res) => {
    const tx = mine(res, byRef(str(req.query.tx_ref)));
    if (!tx) return fail(res, 400, 'No transaction was found for this id');
    ok(res, 'Transaction fetched successfully', publicTx(tx));
  });

  router.get('/transactions/:id/verify', (req, res) => {
    const tx = mine(res, books.txs[String(req.params.id)]);
    if (!tx) return fail(res, 400, 'No transaction was found for this id');
    ok(res, 'Transaction fetched successfully', publicTx(tx));
  });

  /** v3 refunds take no idempotency key: a repeated request refunds again, exactly as Flutterwave v3 would. */
  router.post('/transactions/:id/refund', (req, res) => {
    const tx = mine(res, books.txs[String(req.params.id)]);
    if (!tx) return fail(res, 400, 'No transaction was found for this id');
    if (tx.status !== 'successful') return fail(res, 400, 'Only successful transactions can be refunded');
    const body = req.body as Record<string, unknown>;
    const total = majorToMinor(tx.amount, tx.currency) ?? 0;
    const minor = body.amount === undefined ? total - tx.refundedMinor : majorToMinor(body.amount, tx.currency);
    if (minor === undefined || minor <= 0 || minor > total - tx.refundedMinor) return fail(res, 400, 'Refund amount exceeds the transaction amount');
    tx.refundedMinor += minor;
    const refund: RefundRecord = {
      id: ctx.numericId(8_000), account_id: 17321, tx_id: tx.id, flw_ref: `URF_${tx.id}_${ctx.numericId(0)}`, wallet_id: 74639, amount_refunded: minorToMajor(minor, tx.currency), status: 'completed',
      destination: 'payment_source', comments: typeof body.comments === 'string' ? body.comments : null, meta: { source: 'availablebalance' }, created_at: ctx.now().toISOString(), connectionId: conn(res),
    };
    books.refunds.push(refund);
    const { connectionId: _c, comments: _m, ...data } = refund;
    ok(res, 'Transaction refund initiated', data);
  });

  /** `GET /refunds`: newest first; each item names its transaction (`tx_id`) and carries the comments. */
  router.get('/refunds', (_req, res) => {
    const list = books.refunds.filter((r) => r.connectionId === connOf(res).id).reverse().map(({ connectionId: _c, ...r }) => r);
    res.json({ status: 'success', message: 'Refunds fetched', meta: { page_info: { total: list.length, current_page: 1, total_pages: list.length > 0 ? 1 : 0 } }, data: list });
  });

  const conn = (res: Response) => connOf(res).id;
  router.get('/balances', (_req, res) => ok(res, 'Wallet balances fetched', [{ currency: 'NGN', available_balance: 0, ledger_balance: 0 }]));
  return router;
}
