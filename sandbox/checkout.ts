import express, { Router, type Request, type Response } from 'express';
import { findCard, SANDBOX_OTP, TEST_CARDS, type TestCard } from './cards';
import { str, type SandboxContext } from './context';
import { formatAmount } from './money';
import type { CheckoutSession } from './state';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Chargeloop sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.6rem 0}
input,select{width:100%;padding:.4rem;font-size:1rem}button{padding:.5rem 1.2rem;font-size:1rem;margin-top:1rem}
.note{color:#555;font-size:.9rem}.ok{color:#067d2f}.bad{color:#b00020}</style></head><body>${body}</body></html>`;
}

const amountText = (s: CheckoutSession): string => formatAmount(s.amount, s.currency);

function payForm(s: CheckoutSession, error?: string): string {
  const options = TEST_CARDS.map((c) => `<option value="${c.number}">${c.number} — ${escape(c.label)}</option>`).join('');
  return page(
    'Pay',
    `<h1>${escape(s.gateway)} sandbox checkout</h1>
<p>Pay <strong>${escape(amountText(s))}</strong> as ${escape(s.email)} (reference <code>${escape(s.reference)}</code>).</p>
${error ? `<p class="bad">${escape(error)}</p>` : ''}
<form method="post" action="/checkout/${encodeURIComponent(s.id)}">
<label>Test card <select name="card_number">${options}</select></label>
<label>Expiry <input name="expiry" value="12/30"></label><label>CVV <input name="cvv" value="408"></label>
<button type="submit">Pay ${escape(amountText(s))}</button></form>
<p class="note">This is a local sandbox: no real money moves. Test cards are listed in sandbox/README.md.</p>`,
  );
}

const otpForm = (s: CheckoutSession, error?: string): string =>
  page(
    'Verify',
    `<h1>Authenticate this payment</h1><p>Your bank sent a one-time password (sandbox OTP: <code>${SANDBOX_OTP}</code>).</p>
${error ? `<p class="bad">${escape(error)}</p>` : ''}
<form method="post" action="/checkout/${encodeURIComponent(s.id)}/otp"><label>OTP <input name="otp" autocomplete="one-time-code"></label>
<button type="submit">Verify</button></form>`,
  );

function finish(res: Response, s: CheckoutSession, outcome: { redirectTo?: string }, ok: boolean, message: string): void {
  if (outcome.redirectTo) return res.redirect(303, outcome.redirectTo);
  res
    .status(200)
    .send(page(ok ? 'Paid' : 'Payment failed', `<h1 class="${ok ? 'ok' : 'bad'}">${ok ? 'Payment successful' : 'Payment failed'}</h1><p>${escape(message)}</p>${ok ? '' : `<p><a href="/checkout/${encodeURIComponent(s.id)}">Try another card</a></p>`}`));
}

/** The hosted checkout every fake gateway links to: a server-rendered form, an OTP step, and a result page. */
export function createCheckoutRouter(ctx: SandboxContext): Router {
  const { state } = ctx;
  const router = Router();
  const pay = (s: CheckoutSession, card: TestCard) => {
    const handler = ctx.checkout[s.gateway];
    if (!handler) throw new Error(`no checkout handler for ${s.gateway}`);
    const result = handler(s, card, card.checkout);
    state.save();
    return result;
  };
  router.use('/checkout', express.urlencoded({ extended: false, limit: '16kb' }));

  const session = (req: Request, res: Response): CheckoutSession | undefined => {
    const s = state.sessions[String(req.params.id)];
    if (!s) res.status(404).send(page('Not found', '<h1>This checkout link does not exist</h1>'));
    else if (s.status === 'paid') res.status(200).send(page('Paid', '<h1 class="ok">Payment successful</h1><p>This checkout is already paid.</p>'));
    else return s;
    return undefined;
  };

  router.get('/checkout/:id', (req, res) => {
    const s = session(req, res);
    if (s) res.send(payForm(s));
  });

  router.post('/checkout/:id', (req, res) => {
    const s = session(req, res);
    if (!s) return;
    const card = findCard(str((req.body as Record<string, unknown>).card_number));
    if (!card) return void res.status(400).send(payForm(s, 'Unknown test card: use one from the list.'));
    if (card.otp) {
      s.otpCardNumber = card.number;
      state.save();
      return res.redirect(303, `/checkout/${encodeURIComponent(s.id)}/otp`);
    }
    finish(res, s, pay(s, card), card.checkout === 'success', card.label);
  });

  router.get('/checkout/:id/otp', (req, res) => {
    const s = session(req, res);
    if (s) res.send(otpForm(s));
  });

  router.post('/checkout/:id/otp', (req, res) => {
    const s = session(req, res);
    if (!s) return;
    const card = s.otpCardNumber ? findCard(s.otpCardNumber) : undefined;
    if (!card) return res.redirect(303, `/checkout/${encodeURIComponent(s.id)}`);
    if (str((req.body as Record<string, unknown>).otp) !== SANDBOX_OTP) return void res.status(400).send(otpForm(s, 'Wrong OTP.'));
    delete s.otpCardNumber;
    finish(res, s, pay(s, card), card.checkout === 'success', card.label);
  });
  return router;
}
