import express, { Router, type Request, type Response } from 'express';
import type { FlutterwaveConnection } from '../src/gateways/connections';
import { CurrencySchema, fromMajorUnits, toMajorUnitString } from '../src/shared/money';
import { OUTCOME_TEXT, type Outcome, type TestCard } from './cards';
import { connectionsOf, str, type SandboxContext } from './context';

/** A Flutterwave v3 transaction (amounts in MAJOR units, as Flutterwave returns them). */
interface Tx {
  id: number;
  tx_ref: string;
  flw_ref: string;
  amount: number;
  charged_amount: number;
  currency: string;
  status: 'pending' | 'successful' | 'failed';
  processor_response: string;
  payment_type: 'card';
  created_at: string;
  customer: { id: number; email: string; name: string | null };
  card: { first_6digits: string; last_4digits: string; type: string; expiry: string; token: string } | null;
  connectionId: string;
  refundedMinor: number;
}

const fail = (res: Response, status: number, message: string, data: unknown = null) => res.status(status).json({ status: 'error', message, data });
const ok = (res: Response, message: string, data: unknown) => res.status(200).json({ status: 'success', message, data });
const publicTx = ({ connectionId: _c, refundedMinor: _r, ...tx }: Tx) => tx;
/** The webhook's card object carries no token (reference §2.3): Chargeloop gets it from verify. */
const webhookTx = (tx: Tx) => {
  const { card, ...rest } = publicTx(tx);
  return { ...rest, card: card ? { first_6digits: card.first_6digits, last_4digits: card.last_4digits, type: card.type, expiry: card.expiry } : null };
};

/** The slice of https://api.flutterwave.com/v3 Chargeloop calls: same paths, Bearer secret key, major-unit amounts. */
export function createFlutterwaveFake(ctx: SandboxContext): Router {
  const byRef = new Map<string, Tx>();
  const byId = new Map<number, Tx>();
  const refundsByKey = new Map<string, unknown>();
  let nextId = 285_000_000;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.use((req, res, next) => {
    const key = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const conn = connectionsOf(ctx, 'flutterwave').find((c) => c.gateway === 'flutterwave' && c.keys.secretKey === key);
    if (!conn) return fail(res, 401, 'Invalid authorization key');
    res.locals.conn = conn;
    next();
  });
  const connOf = (res: Response) => res.locals.conn as FlutterwaveConnection;
  const mine = (res: Response, tx: Tx | undefined) => (tx && tx.connectionId === connOf(res).id ? tx : undefined);

  function newTx(conn: FlutterwaveConnection, body: Record<string, unknown>, email: string, res: Response): Tx | undefined {
    const currency = CurrencySchema.safeParse(body.currency ?? 'NGN');
    const txRef = typeof body.tx_ref === 'string' && body.tx_ref !== '' ? body.tx_ref : undefined;
    if (!txRef) return void fail(res, 400, 'tx_ref is required');
    if (!currency.success) return void fail(res, 400, 'Invalid currency');
    let amount: number;
    try {
      amount = Number(toMajorUnitString(fromMajorUnits(body.amount as number | string, currency.data), currency.data));
    } catch {
      return void fail(res, 400, 'Invalid amount');
    }
    if (byRef.has(txRef)) return void fail(res, 400, 'Duplicate transaction reference');
    const id = nextId++;
    const tx: Tx = {
      id, tx_ref: txRef, flw_ref: `FLW-MOCK-${id}`, amount, charged_amount: amount, currency: currency.data, status: 'pending', processor_response: 'Pending', payment_type: 'card',
      created_at: ctx.now().toISOString(), customer: { id: 200_000 + id % 1000, email, name: null }, card: null, connectionId: conn.id, refundedMinor: 0,
    };
    byRef.set(txRef, tx);
    byId.set(id, tx);
    return tx;
  }

  function settle(conn: FlutterwaveConnection, tx: Tx, card: TestCard, outcome: Outcome, token: string): void {
    tx.status = outcome === 'success' ? 'successful' : 'failed';
    tx.processor_response = OUTCOME_TEXT[outcome].message;
    tx.card = { first_6digits: card.number.slice(0, 6), last_4digits: card.number.slice(-4), type: card.brand.toUpperCase(), expiry: '12/30', token };
    // Sent for successes and failures alike ("failed-transaction webhooks" ticked in the dashboard).
    ctx.sender.send(conn, `${tx.id}:${tx.status}`, 'charge.completed', { event: 'charge.completed', data: webhookTx(tx) });
  }

  router.post('/payments', (req: Request, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const customer = (body.customer ?? {}) as Record<string, unknown>;
    if (typeof customer.email !== 'string') return fail(res, 400, 'customer.email is required');
    const tx = newTx(conn, body, customer.email, res);
    if (!tx) return;
    const redirect = typeof body.redirect_url === 'string' ? body.redirect_url : undefined;
    const sessionId = ctx.id('flwchk_', 12);
    ctx.state.sessions.set(sessionId, {
      id: sessionId, gateway: 'flutterwave', connectionId: conn.id, reference: tx.tx_ref, amount: fromMajorUnits(tx.amount, CurrencySchema.parse(tx.currency)), currency: tx.currency, email: customer.email, status: 'open',
      pay: (card, outcome) => {
        const token = ctx.id('flw-t1nf-', 24);
        settle(conn, tx, card, outcome, token);
        if (outcome === 'success') {
          ctx.state.cards.set(token, { token, gateway: 'flutterwave', connectionId: conn.id, email: tx.customer.email, card });
          const s = ctx.state.sessions.get(sessionId);
          if (s) s.status = 'paid';
        }
        return redirect ? { redirectTo: `${redirect}${redirect.includes('?') ? '&' : '?'}status=${outcome === 'success' ? 'successful' : 'failed'}&tx_ref=${encodeURIComponent(tx.tx_ref)}&transaction_id=${tx.id}` } : {};
      },
    });
    ok(res, 'Hosted Link', { link: `${ctx.publicUrl(req)}/checkout/${sessionId}` });
  });

  router.post('/tokenized-charges', (req, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const stored = ctx.state.cards.get(str(body.token));
    if (!stored || stored.connectionId !== conn.id) return fail(res, 400, 'Token not found');
    if (stored.email !== body.email) return fail(res, 400, 'Email does not match the token');
    const tx = newTx(conn, body, stored.email, res);
    if (!tx) return;
    const outcome = ctx.state.nextOutcome(stored);
    settle(conn, tx, stored.card, outcome, stored.token);
    if (outcome === 'success') return ok(res, 'Charge successful', publicTx(tx));
    fail(res, 400, OUTCOME_TEXT[outcome].message, publicTx(tx));
  });

  router.get('/transactions/verify_by_reference', (req, res) => {
    const tx = mine(res, byRef.get(str(req.query.tx_ref)));
    if (!tx) return fail(res, 400, 'No transaction was found for this id');
    ok(res, 'Transaction fetched successfully', publicTx(tx));
  });

  router.get('/transactions/:id/verify', (req, res) => {
    const tx = mine(res, byId.get(Number(req.params.id)));
    if (!tx) return fail(res, 400, 'No transaction was found for this id');
    ok(res, 'Transaction fetched successfully', publicTx(tx));
  });

  router.post('/transactions/:id/refund', (req, res) => {
    const tx = mine(res, byId.get(Number(req.params.id)));
    if (!tx) return fail(res, 400, 'No transaction was found for this id');
    const key = req.get('x-idempotency-key');
    // The sandbox honours v4's X-Idempotency-Key: a repeated key returns the original response.
    if (key && refundsByKey.has(key)) return ok(res, 'Transaction refund initiated', refundsByKey.get(key));
    if (tx.status !== 'successful') return fail(res, 400, 'Only successful transactions can be refunded');
    const currency = CurrencySchema.parse(tx.currency);
    const body = req.body as Record<string, unknown>;
    const minor = body.amount === undefined ? fromMajorUnits(tx.amount, currency) - tx.refundedMinor : fromMajorUnits(body.amount as number, currency);
    if (minor <= 0 || minor > fromMajorUnits(tx.amount, currency) - tx.refundedMinor) return fail(res, 400, 'Refund amount exceeds the transaction amount');
    tx.refundedMinor += minor;
    const data = { id: nextId++, tx_id: tx.id, flw_ref: tx.flw_ref, amount_refunded: Number(toMajorUnitString(minor, currency)), status: 'completed', destination: 'payment_source', comments: body.comments ?? null };
    if (key) refundsByKey.set(key, data);
    ok(res, 'Transaction refund initiated', data);
  });

  router.get('/balances', (_req, res) => ok(res, 'Wallet balances fetched', [{ currency: 'NGN', available_balance: 0, ledger_balance: 0 }]));
  return router;
}
