import express, { Router } from 'express';
import { OUTCOMES, TEST_CARDS, type Outcome } from './cards';
import type { SandboxContext } from './context';

/** Test controls under /__sandbox: not part of any gateway's API. */
export function createAdminRouter(ctx: SandboxContext): Router {
  const router = Router();
  router.use('/__sandbox', express.json({ limit: '16kb' }));

  /** Queue the outcome of the next charge on a stored card (authorization_code, Flutterwave token or Razorpay token_id). */
  router.post('/__sandbox/cards/:token/next-outcome', (req, res) => {
    const token = String(req.params.token);
    const outcome = (req.body as { outcome?: unknown }).outcome;
    if (!ctx.state.cards[token]) return void res.status(404).json({ error: `no stored card ${token}` });
    if (!OUTCOMES.includes(outcome as Outcome)) return void res.status(400).json({ error: `outcome must be one of ${OUTCOMES.join(', ')}` });
    ctx.state.forceNext(token, outcome as Outcome);
    ctx.state.save();
    res.status(204).end();
  });

  /**
   * The same, by the customer's email: every card the sandbox stored for that customer (a developer following
   * docs/test-clocks.md knows the email, not the gateway's token). 404 when it stored none.
   */
  router.post('/__sandbox/customers/:email/next-outcome', (req, res) => {
    const outcome = (req.body as { outcome?: unknown }).outcome;
    if (!OUTCOMES.includes(outcome as Outcome)) return void res.status(400).json({ error: `outcome must be one of ${OUTCOMES.join(', ')}` });
    const tokens = Object.values(ctx.state.cards).filter((c) => c.email === req.params.email).map((c) => c.token);
    if (tokens.length === 0) return void res.status(404).json({ error: `no stored card for ${req.params.email}` });
    for (const token of tokens) ctx.state.forceNext(token, outcome as Outcome);
    ctx.state.save();
    res.status(204).end();
  });

  /** The customer revokes a Razorpay card mandate at the bank: Razorpay sends token.cancelled. */
  router.post('/__sandbox/cards/:token/revoke', (req, res) => {
    if (!ctx.revokeToken?.(String(req.params.token))) return void res.status(404).json({ error: 'no Razorpay token with this id' });
    res.status(204).end();
  });

  router.get('/__sandbox/webhooks', (_req, res) => void res.json({ deliveries: ctx.sender.deliveries }));
  router.get('/__sandbox/cards', (_req, res) => void res.json({ testCards: TEST_CARDS }));
  router.get('/__sandbox/health', (_req, res) => void res.json({ ok: true }));
  return router;
}
