import { GATEWAY_POLICIES, type CustomerField, type Gateway } from '../shared/gateway-policy';
import type { CreateSubscriptionBody, Plan } from '../shared/schemas';
import type { FieldError } from './problem';

const FIELD_LABELS: Record<CustomerField, string> = { email: 'email', firstName: 'first name', lastName: 'last name', phone: 'phone number' };

/**
 * The gateway's plan rules from the policy table, as field errors under `prefix` (`plan` in a create body, nothing for
 * `/plan` whose body is the plan). Pure; the connection-aware version from src/gateways/ replaces it when wired.
 */
export function planRuleErrors(gateway: Gateway, plan: Pick<Plan, 'currency' | 'interval' | 'intervalCount'>, prefix = 'plan'): FieldError[] {
  const policy = GATEWAY_POLICIES[gateway];
  const at = (field: string): string => (prefix ? `${prefix}.${field}` : field);
  const errors: FieldError[] = [];
  if (policy.singleIntervalOnly && plan.intervalCount !== 1) {
    errors.push({
      field: at('intervalCount'),
      message: `${policy.label} supports only single intervals (every ${plan.interval}); intervalCount must be 1, got ${plan.intervalCount}.`,
    });
  }
  if (!policy.currencies.includes(plan.currency)) {
    const optIn = policy.optInCurrencies.includes(plan.currency) ? ` ${plan.currency} must first be enabled on the gateway connection.` : '';
    errors.push({ field: at('currency'), message: `${policy.label} does not accept ${plan.currency}; it accepts ${policy.currencies.join(', ')}.${optIn}` });
  }
  return errors;
}

/** Customer fields the gateway needs to open a checkout (Paystack: first and last name). */
export function customerRuleErrors(gateway: Gateway, customer: CreateSubscriptionBody['customer']): FieldError[] {
  const policy = GATEWAY_POLICIES[gateway];
  return policy.requiredCustomerFields
    .filter((field) => (customer[field] ?? '').trim() === '')
    .map((field) => ({ field: `customer.${field}`, message: `${policy.label} requires the customer's ${FIELD_LABELS[field]}.` }));
}

/** The default `validateForGateway` for a create body, from GATEWAY_POLICIES alone. */
export function policyRuleErrors(gateway: Gateway, body: CreateSubscriptionBody): FieldError[] {
  return [...customerRuleErrors(gateway, body.customer), ...planRuleErrors(gateway, body.plan)];
}
