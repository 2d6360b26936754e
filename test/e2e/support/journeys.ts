import { GATEWAY_POLICIES, type Gateway } from '../../../src/shared/gateway-policy';
import { authorizationReference, chargeReference, refundReference } from '../../../src/shared/ids';
import type { SubscriptionView } from '../../../src/shared/state';
import { TEST_SECRETS } from '../../helpers/gateway-connections';
import { payAtCheckout } from '../../helpers/gateway-sandbox';
import { createSubscription, subscriptionBody, viewUntil } from '../../helpers/http-api';
import type { Stack } from '../../helpers/stack';

export const SUCCESS_CARD = '4084084084084081';
/** Pays at checkout, then every charge of the stored card is declined (insufficient funds). */
export const RENEWALS_FAIL_CARD = '4000000000000341';

/** Paystack's authorization is a refunded minimum charge; the others' is the first invoice itself. */
const authorizationAmount = (gateway: Gateway, planAmount: number): number =>
  GATEWAY_POLICIES[gateway].authorization === 'minimum_charge_refunded' ? 5000 : planAmount;

/** Active once cycle 1 is paid, and (Paystack) once the refund of the minimum charge has settled by webhook. */
const settledActive = (view: SubscriptionView): boolean => view.status === 'active' && view.refunds.every((r) => r.status === 'processed');

/**
 * The first part of every journey: POST /v1/subscriptions → the sandbox's hosted checkout (form POST with `card`) →
 * the gateway's webhook → authorization → cycle 1 paid → active. Asserts each step as the customer and the gateway see it.
 */
export async function checkoutToActive(stack: Stack, gateway: Gateway, label: string, card = SUCCESS_CARD) {
  const body = subscriptionBody(gateway, label);
  const plan = body.plan as { amount: number; currency: string };
  const created = await createSubscription(stack, body);
  const auth = authorizationReference(body.id);
  const authAmount = { amount: authorizationAmount(gateway, plan.amount), currency: plan.currency };
  expect(created).toMatchObject({ id: body.id, status: 'incomplete', gateway, authorization: { status: 'pending', reference: auth, amount: authAmount } });
  expect(created.authorization.checkoutUrl?.startsWith(`${stack.sandboxUrl}/checkout/`)).toBe(true);

  expect((await payAtCheckout(created.authorization.checkoutUrl!, card)).html).toContain('Payment successful');
  const active = await viewUntil(stack, body.id, settledActive);
  expect(active).toMatchObject({ cycle: 1, authorization: { status: 'authorized' }, card: { last4: card.slice(-4) } });
  expect(Date.parse(active.nextChargeAt!)).toBeGreaterThan(Date.parse(active.billingAnchor!));

  if (gateway === 'paystack') {
    expect(active.charges.map((c) => [c.reference, c.kind, c.outcome, c.amount.amount])).toEqual([
      [auth, 'authorization', 'succeeded', authAmount.amount],
      [chargeReference(body.id, 1, 1), 'initial', 'succeeded', plan.amount],
    ]);
    expect(active.authorization.refunded).toBe(true);
    expect(active.refunds).toEqual([expect.objectContaining({ reference: refundReference(auth), chargeReference: auth, amount: authAmount, status: 'processed' })]);
    // Paystack's own books (the sandbox's API): exactly one refund of the minimum charge, processed.
    const res = await fetch(`${stack.sandboxUrl}/paystack/refund?reference=${auth}`, { headers: { authorization: `Bearer ${TEST_SECRETS.paystackSecretKey}` } });
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([expect.objectContaining({ amount: authAmount.amount, status: 'processed' })]);
  } else {
    // The first invoice is the authorization: nothing to refund, nothing charged twice.
    expect(active.charges).toEqual([expect.objectContaining({ reference: auth, kind: 'authorization', outcome: 'succeeded', amount: authAmount })]);
    expect(active).toMatchObject({ authorization: { refunded: false }, refunds: [] });
  }
  return { body, active };
}
