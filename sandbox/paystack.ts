import express, { Router, type Request, type Response } from 'express';
import type { PaystackConnection } from '../src/gateways/connections';
import { OUTCOME_TEXT, type Outcome, type TestCard } from './cards';
import { connectionsOf, str, type SandboxContext } from './context';

/** A Paystack transaction as the API returns it (amounts in subunits). */
interface Tx {
  id: number;
  domain: 'test' | 'live';
  status: 'abandoned' | 'success' | 'failed';
  reference: string;
  amount: number;
  currency: string;
  gateway_response: string;
  paid_at: string | null;
  created_at: string;
  channel: 'card';
  metadata: unknown;
  customer: { email: string; customer_code: string };
  authorization: Record<string, unknown> | null;
  connectionId: string;
  refunded: number;
}
interface Refund {
  id: number;
  transaction: string;
  amount: number;
  currency: string;
  status: 'pending' | 'processed';
  merchant_note: string | null;
  connectionId: string;
}

const fail = (res: Response, status: number, message: string) => res.status(status).json({ status: false, message });
const ok = (res: Response, message: string, data: unknown) => res.status(200).json({ status: true, message, data });
const publicTx = ({ connectionId: _c, refunded: _r, ...tx }: Tx) => tx;

/** The slice of https://api.paystack.co Chargeloop calls: same paths, Bearer secret key, subunit amounts. */
export function createPaystackFake(ctx: SandboxContext): Router {
  const txs = new Map<string, Tx>();
  const refunds: Refund[] = [];
  let nextId = 1_000_000;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.use((req, res, next) => {
    const key = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const conn = connectionsOf(ctx, 'paystack').find((c) => c.gateway === 'paystack' && c.keys.secretKey === key);
    if (!conn) return fail(res, 401, 'Invalid key');
    res.locals.conn = conn;
    next();
  });
  const connOf = (res: Response) => res.locals.conn as PaystackConnection;
  const mine = (res: Response, tx: Tx | undefined) => (tx && tx.connectionId === connOf(res).id ? tx : undefined);

  function settle(conn: PaystackConnection, tx: Tx, card: TestCard, outcome: Outcome, token: string): void {
    tx.gateway_response = OUTCOME_TEXT[outcome].message;
    tx.authorization = { authorization_code: token, bin: card.number.slice(0, 6), last4: card.number.slice(-4), exp_month: '12', exp_year: '2030', channel: 'card', card_type: card.brand, brand: card.brand, reusable: true, signature: `SIG_${card.number.slice(-8)}` };
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

  function newTx(conn: PaystackConnection, body: Record<string, unknown>, res: Response): Tx | undefined {
    const amount = amountOf(body.amount);
    const email = typeof body.email === 'string' ? body.email : undefined;
    const reference = typeof body.reference === 'string' ? body.reference : ctx.id('T', 12);
    if (!email || !amount) return void fail(res, 400, 'Invalid Email Address / Amount Passed');
    if (!/^[A-Za-z0-9.=-]+$/.test(reference)) return void fail(res, 400, 'Invalid transaction reference');
    if (txs.has(reference)) return void fail(res, 400, 'Duplicate Transaction Reference');
    const tx: Tx = {
      id: nextId++, domain: conn.mode, status: 'abandoned', reference, amount, currency: typeof body.currency === 'string' ? body.currency : 'NGN',
      gateway_response: 'The transaction was not completed', paid_at: null, created_at: ctx.now().toISOString(), channel: 'card', metadata: body.metadata ?? null,
      customer: { email, customer_code: `CUS_${email.replace(/[^a-z0-9]/gi, '').slice(0, 12)}` }, authorization: null, connectionId: conn.id, refunded: 0,
    };
    txs.set(reference, tx);
    return tx;
  }

  router.post('/transaction/initialize', (req: Request, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const tx = newTx(conn, body, res);
    if (!tx) return;
    const accessCode = ctx.id('', 15).toLowerCase();
    const callback = typeof body.callback_url === 'string' ? body.callback_url : undefined;
    ctx.state.sessions.set(accessCode, {
      id: accessCode, gateway: 'paystack', connectionId: conn.id, reference: tx.reference, amount: tx.amount, currency: tx.currency, email: tx.customer.email, status: 'open',
      pay: (card, outcome) => {
        const token = `AUTH_${ctx.id('', 10).toLowerCase()}`;
        settle(conn, tx, card, outcome, token);
        if (outcome === 'success') {
          ctx.state.cards.set(token, { token, gateway: 'paystack', connectionId: conn.id, email: tx.customer.email, card });
          const s = ctx.state.sessions.get(accessCode);
          if (s) s.status = 'paid';
          if (callback) return { redirectTo: `${callback}${callback.includes('?') ? '&' : '?'}trxref=${encodeURIComponent(tx.reference)}&reference=${encodeURIComponent(tx.reference)}` };
        }
        return {};
      },
    });
    ok(res, 'Authorization URL created', { authorization_url: `${ctx.publicUrl(req)}/checkout/${accessCode}`, access_code: accessCode, reference: tx.reference });
  });

  router.post('/transaction/charge_authorization', (req, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const stored = ctx.state.cards.get(str(body.authorization_code));
    if (!stored || stored.connectionId !== conn.id) return fail(res, 400, 'Authorization code does not exist or has been deactivated');
    if (stored.email !== body.email) return fail(res, 400, 'Email does not match Authorization code');
    const tx = newTx(conn, body, res);
    if (!tx) return;
    settle(conn, tx, stored.card, ctx.state.nextOutcome(stored), stored.token);
    ok(res, 'Charge attempted', publicTx(tx));
  });

  router.get('/transaction/verify/:reference', (req, res) => {
    const tx = mine(res, txs.get(String(req.params.reference)));
    if (!tx) return fail(res, 400, 'Transaction reference not found');
    ok(res, 'Verification successful', publicTx(tx));
  });

  router.post('/refund', (req, res) => {
    const conn = connOf(res);
    const body = req.body as Record<string, unknown>;
    const key = str(body.transaction);
    const tx = mine(res, txs.get(key) ?? [...txs.values()].find((t) => String(t.id) === key));
    if (!tx) return fail(res, 404, 'Transaction not found');
    if (tx.status !== 'success') return fail(res, 400, 'Transaction has not been paid');
    const amount = body.amount === undefined ? tx.amount - tx.refunded : amountOf(body.amount);
    if (!amount || amount > tx.amount - tx.refunded) return fail(res, 400, 'Refund amount cannot be greater than transaction amount');
    tx.refunded += amount;
    const refund: Refund = { id: nextId++, transaction: tx.reference, amount, currency: tx.currency, status: 'pending', merchant_note: typeof body.merchant_note === 'string' ? body.merchant_note : null, connectionId: conn.id };
    refunds.push(refund);
    // Refunds are asynchronous at Paystack: pending now, processed (with a webhook) a little later.
    ctx.later(60_000, () => {
      refund.status = 'processed';
      ctx.sender.send(conn, `refund.processed:${refund.id}`, 'refund.processed', {
        event: 'refund.processed',
        data: { status: 'processed', transaction_reference: tx.reference, refund_reference: String(refund.id), merchant_note: refund.merchant_note, amount: String(amount), currency: tx.currency, customer: { email: tx.customer.email }, domain: conn.mode },
      });
    });
    ok(res, 'Refund has been queued for processing', { transaction: publicTx(tx), id: refund.id, amount, currency: tx.currency, status: 'pending', merchant_note: refund.merchant_note });
  });

  router.get('/refund', (req, res) => {
    const reference = typeof req.query.reference === 'string' ? req.query.reference : undefined;
    const list = refunds.filter((r) => r.connectionId === connOf(res).id && (!reference || r.transaction === reference));
    ok(res, 'Refunds retrieved', list.map(({ connectionId: _c, ...r }) => r));
  });

  router.get('/balance', (_req, res) => ok(res, 'Balances retrieved', [{ currency: 'NGN', balance: 0 }]));
  return router;
}
