import { CardLookupKeyAttr, FILTER_ATTRIBUTES } from '../shared/search-attributes';

/**
 * Builds a Temporal visibility query from already-validated filter values. Values are quoted and escaped (backslash
 * and double quote), and control characters are refused by the API schema before they reach here, so a filter value can
 * never end the string literal and add its own clause.
 */
export interface SubscriptionFilters {
  status?: string;
  gateway?: string;
  customerId?: string;
  planId?: string;
}

const ATTRIBUTES: Record<keyof SubscriptionFilters, string> = FILTER_ATTRIBUTES;

export const quoteVisibilityValue = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function subscriptionsQuery(workflowType: string, filters: SubscriptionFilters): string {
  const clauses = [`WorkflowType = ${quoteVisibilityValue(workflowType)}`];
  for (const key of Object.keys(ATTRIBUTES) as (keyof SubscriptionFilters)[]) {
    const value = filters[key];
    if (value !== undefined) clauses.push(`${ATTRIBUTES[key]} = ${quoteVisibilityValue(value)}`);
  }
  // No ORDER BY: SQL-backed visibility (the dev server, PostgreSQL, MySQL) refuses it; it lists newest first anyway.
  return clauses.join(' AND ');
}

/** The running subscriptions whose stored card carries `cardLookupKey` (see src/gateways/card-key.ts). */
export function cardLookupQuery(workflowType: string, cardLookupKey: string): string {
  return [`WorkflowType = ${quoteVisibilityValue(workflowType)}`, 'ExecutionStatus = "Running"', `${CardLookupKeyAttr.name} = ${quoteVisibilityValue(cardLookupKey)}`].join(' AND ');
}
