import { GATEWAY_POLICIES, type CustomerField } from '../shared/gateway-policy';
import { needsMinimumAuthorization } from '../shared/plan-rules';
import type { CreateSubscriptionBody, Plan } from '../shared/schemas';
import { currenciesOf, type GatewayConnection } from './connections';

export interface RuleViolation {
  /** Dotted path into the request body, e.g. `plan.intervalCount`. */
  field: string;
  message: string;
}

const FIELD_LABELS: Record<CustomerField, string> = { email: 'email', firstName: 'first name', lastName: 'last name', phone: 'phone number' };

/**
 * The gateway's rules for a plan: currencies (with opt-ins such as Paystack USD) and intervals. `prefix` is the
 * plan's path in the body: `plan` on create, '' for `PUT /plan` whose body is the plan itself.
 */
export function validatePlanForConnection(plan: Plan, connection: GatewayConnection, prefix = 'plan'): RuleViolation[] {
  const policy = GATEWAY_POLICIES[connection.gateway];
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const violations: RuleViolation[] = [];
  const allowed = currenciesOf(connection);
  if (!allowed.includes(plan.currency)) {
    const optInHint =
      connection.gateway === 'paystack' && policy.optInCurrencies.includes(plan.currency)
        ? ` ${plan.currency} needs international payments enabled on the connection (flags.internationalPayments).`
        : '';
    violations.push({
      field: at('currency'),
      message: `${policy.label} connection "${connection.id}" does not accept ${plan.currency}; it accepts ${allowed.join(', ')}.${optInHint}`,
    });
  }
  if (connection.gateway === 'razorpay' && plan.amount > connection.mandateMaxAmount) {
    // Every renewal debits the card mandate, which caps one debit at max_amount: a larger plan could never renew.
    violations.push({
      field: at('amount'),
      message: `Razorpay card mandates on connection "${connection.id}" debit at most ${connection.mandateMaxAmount} paise per charge (max_amount); a plan of ${plan.amount} could never renew.`,
    });
  }
  if (policy.singleIntervalOnly && plan.intervalCount !== 1) {
    violations.push({
      field: at('intervalCount'),
      message: `${policy.label} supports only single intervals (every ${plan.interval}); "every ${plan.intervalCount} ${plan.interval}s" is not possible.`,
    });
  }
  return violations;
}

/**
 * The policy's required customer fields, plus Razorpay's `customer.contact`: a registration link without one is
 * refused (https://razorpay.com/docs/api/payments/recurring-payments/cards/create-authorization-transaction/).
 */
function requiredCustomerFields(connection: GatewayConnection): readonly CustomerField[] {
  const fields = GATEWAY_POLICIES[connection.gateway].requiredCustomerFields;
  return connection.gateway === 'razorpay' && !fields.includes('phone') ? [...fields, 'phone'] : fields;
}

/**
 * The gateway's own rules for a new subscription, checked at the API edge so a merchant gets a 422 naming the field
 * instead of a subscription that can never be charged. Pure: reads only the policy table and the connection.
 */
export function validateSubscriptionForConnection(body: CreateSubscriptionBody, connection: GatewayConnection): RuleViolation[] {
  const policy = GATEWAY_POLICIES[connection.gateway];
  const violations: RuleViolation[] = [];
  for (const field of requiredCustomerFields(connection)) {
    const value = body.customer[field];
    if (value === undefined || value.trim() === '') {
      violations.push({ field: `customer.${field}`, message: `${policy.label} requires the customer's ${FIELD_LABELS[field]}.` });
    }
  }
  if (needsMinimumAuthorization(connection.gateway, body.plan) && !connection.flags.refundsEnabled) {
    // The card is authorized with a small charge that must be refunded; a connection that cannot refund would keep it.
    const trial = body.plan.trialDays > 0 && GATEWAY_POLICIES[connection.gateway].authorization === 'first_payment';
    violations.push({
      field: trial ? 'plan.trialDays' : 'gatewayConnectionId',
      message: `${policy.label} connection "${connection.id}" cannot refund (flags.refundsEnabled is false), so the minimum authorization charge ${trial ? 'a trial needs' : 'this gateway needs'} could never be refunded.${trial ? ' Enable refunds on the connection or start the subscription without a trial.' : ' Enable refunds on the connection.'}`,
    });
  }
  return [...violations, ...validatePlanForConnection(body.plan, connection)];
}
