import { GATEWAY_POLICIES, type CustomerField } from '../shared/gateway-policy';
import type { CreateSubscriptionBody } from '../shared/schemas';
import { currenciesOf, type GatewayConnection } from './connections';

export interface RuleViolation {
  /** Dotted path into the request body, e.g. `plan.intervalCount`. */
  field: string;
  message: string;
}

const FIELD_LABELS: Record<CustomerField, string> = { email: 'email', firstName: 'first name', lastName: 'last name', phone: 'phone number' };

/**
 * The gateway's own rules for a new subscription, checked at the API edge so a merchant gets a 422 naming the field
 * instead of a subscription that can never be charged. Pure: reads only the policy table and the connection.
 */
export function validateSubscriptionForConnection(body: CreateSubscriptionBody, connection: GatewayConnection): RuleViolation[] {
  const policy = GATEWAY_POLICIES[connection.gateway];
  const violations: RuleViolation[] = [];

  for (const field of policy.requiredCustomerFields) {
    const value = body.customer[field];
    if (value === undefined || value.trim() === '') {
      violations.push({ field: `customer.${field}`, message: `${policy.label} requires the customer's ${FIELD_LABELS[field]}.` });
    }
  }

  const allowed = currenciesOf(connection);
  if (!allowed.includes(body.plan.currency)) {
    const optInHint =
      policy.optInCurrencies.includes(body.plan.currency) && connection.gateway === 'paystack'
        ? ` ${body.plan.currency} needs international payments enabled on the connection (flags.internationalPayments).`
        : '';
    violations.push({
      field: 'plan.currency',
      message: `${policy.label} connection "${connection.id}" does not accept ${body.plan.currency}; it accepts ${allowed.join(', ')}.${optInHint}`,
    });
  }

  if (policy.singleIntervalOnly && body.plan.intervalCount !== 1) {
    violations.push({
      field: 'plan.intervalCount',
      message: `${policy.label} supports only single intervals (every ${body.plan.interval}); "every ${body.plan.intervalCount} ${body.plan.interval}s" is not possible.`,
    });
  }
  return violations;
}
