import { GATEWAY_POLICIES, type Gateway } from './gateway-policy';
import type { Currency, Money } from './money';
import type { Plan } from './schemas';

/**
 * Whether a gateway can run a plan, as one reason string (or null when it can). The API answers 422 with it;
 * the workflow checks again at start and on plan changes, and fails fast rather than charge wrongly.
 */
export function planRefusalReason(gateway: Gateway, plan: Plan, authorizationMinimums?: Record<string, number>): string | null {
  const policy = GATEWAY_POLICIES[gateway];
  if (policy.singleIntervalOnly && plan.intervalCount !== 1) {
    return `${policy.label} bills every ${plan.interval} only: intervalCount must be 1, got ${plan.intervalCount}`;
  }
  if (!policy.currencies.includes(plan.currency) && !policy.optInCurrencies.includes(plan.currency)) {
    return `${policy.label} does not settle ${plan.currency} (supported: ${[...policy.currencies, ...policy.optInCurrencies].join(', ')})`;
  }
  if (needsMinimumAuthorization(gateway, plan) && authorizationMinimum(gateway, plan.currency, authorizationMinimums) === undefined) {
    return `${policy.label} has no authorization minimum for ${plan.currency}; configure authorizationMinimums.${plan.currency}`;
  }
  return null;
}

/** Paystack always, and the others when a trial means nothing is charged up front. */
export function needsMinimumAuthorization(gateway: Gateway, plan: Plan): boolean {
  return GATEWAY_POLICIES[gateway].authorization === 'minimum_charge_refunded' || plan.trialDays > 0;
}

export function authorizationMinimum(gateway: Gateway, currency: Currency, overrides?: Record<string, number>): number | undefined {
  return overrides?.[currency] ?? GATEWAY_POLICIES[gateway].authorizationMinimums[currency];
}

/** What the customer pays to authorize the card: the refunded minimum, or the first invoice itself. */
export function authorizationCharge(
  gateway: Gateway,
  plan: Plan,
  overrides?: Record<string, number>,
): { amount: Money; isFirstInvoice: boolean } {
  if (!needsMinimumAuthorization(gateway, plan)) {
    return { amount: { amount: plan.amount, currency: plan.currency }, isFirstInvoice: true };
  }
  const minimum = authorizationMinimum(gateway, plan.currency, overrides);
  if (minimum === undefined) throw new RangeError(`no authorization minimum for ${gateway} ${plan.currency}`);
  return { amount: { amount: minimum, currency: plan.currency }, isFirstInvoice: false };
}
