import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributeUpdatePair,
  type TypedSearchAttributes,
} from '@temporalio/common';

/** Custom search attributes operators filter on in the Temporal UI and `temporal workflow list --query`. */
export const GatewayAttr = defineSearchAttributeKey('Gateway', SearchAttributeType.KEYWORD);
export const SubscriptionStatusAttr = defineSearchAttributeKey('SubscriptionStatus', SearchAttributeType.KEYWORD);
export const CustomerIdAttr = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const PlanIdAttr = defineSearchAttributeKey('PlanId', SearchAttributeType.KEYWORD);
export const NextChargeAtAttr = defineSearchAttributeKey('NextChargeAt', SearchAttributeType.DATETIME);
export const GatewayConnectionIdAttr = defineSearchAttributeKey('GatewayConnectionId', SearchAttributeType.KEYWORD);
/** A digest of the stored card's token (StoredCard.lookupKey): how a revocation webhook finds its subscription. */
export const CardLookupKeyAttr = defineSearchAttributeKey('CardLookupKey', SearchAttributeType.KEYWORD);
/** `succeeded`, `declined` or `unknown`: the last charge whose outcome is settled, so a decline shows in the list. */
export const LastChargeOutcomeAttr = defineSearchAttributeKey('LastChargeOutcome', SearchAttributeType.KEYWORD);

/** What visibility knows of a subscription: the fields the search attributes carry (`nextChargeAt` as ISO 8601). */
export interface SubscriptionAttributeFields {
  status: string;
  gateway: string;
  gatewayConnectionId: string;
  customerId: string;
  planId: string;
  nextChargeAt: string | null;
  /** Set once a card with a lookup key is stored (Razorpay); never the token itself. */
  cardLookupKey?: string | null;
  /** Set by 0.5.0 runs once a charge has a settled outcome. */
  lastChargeOutcome?: string | null;
}

/** Field names the list API filters on, with the attribute each maps to. */
export type FilterableField = 'status' | 'gateway' | 'customerId' | 'planId';

/**
 * The one table of Chargeloop's search attributes: the key, its CLI type (registration, dev servers), the
 * subscription field it carries (set at start, upserted by the workflow, decoded for the list) and whether the list
 * filters on it. Order is the upsert order the workflow has always used: keep it, a reorder changes new histories.
 */
export const SUBSCRIPTION_SEARCH_ATTRIBUTES = [
  { key: SubscriptionStatusAttr, cliType: 'Keyword', field: 'status', filterable: true },
  { key: GatewayAttr, cliType: 'Keyword', field: 'gateway', filterable: true },
  { key: GatewayConnectionIdAttr, cliType: 'Keyword', field: 'gatewayConnectionId', filterable: false },
  { key: CustomerIdAttr, cliType: 'Keyword', field: 'customerId', filterable: true },
  { key: PlanIdAttr, cliType: 'Keyword', field: 'planId', filterable: true },
  { key: NextChargeAtAttr, cliType: 'Datetime', field: 'nextChargeAt', filterable: false },
  // Last, so the upserts of subscriptions without one (and every recorded history) keep their pairs and order.
  { key: CardLookupKeyAttr, cliType: 'Keyword', field: 'cardLookupKey', filterable: false },
  { key: LastChargeOutcomeAttr, cliType: 'Keyword', field: 'lastChargeOutcome', filterable: false },
] as const;

export const SEARCH_ATTRIBUTES = SUBSCRIPTION_SEARCH_ATTRIBUTES.map((a) => a.key);

/** `Name=Type` pairs for `temporal server start-dev --search-attribute` and `temporal operator search-attribute create`. */
export const SEARCH_ATTRIBUTE_CLI_TYPES: Record<string, string> = Object.fromEntries(SUBSCRIPTION_SEARCH_ATTRIBUTES.map((a) => [a.key.name, a.cliType]));

/** The visibility attribute name behind each list filter. */
export const FILTER_ATTRIBUTES = Object.fromEntries(
  SUBSCRIPTION_SEARCH_ATTRIBUTES.filter((a) => a.filterable).map((a) => [a.field, a.key.name]),
) as Record<FilterableField, string>;

/**
 * The typed pairs for `fields`, in table order: for the start (TypedSearchAttributes) and the workflow's upsert.
 * Fields left out are not set; `nextChargeAt: null` clears the attribute.
 */
export function searchAttributePairs(fields: Partial<SubscriptionAttributeFields>): SearchAttributeUpdatePair[] {
  const pairs: SearchAttributeUpdatePair[] = [];
  for (const a of SUBSCRIPTION_SEARCH_ATTRIBUTES) {
    if (!(a.field in fields)) continue;
    const value = fields[a.field];
    if (a.key.type === SearchAttributeType.DATETIME) pairs.push({ key: a.key, value: value ? new Date(value) : null });
    else if (a.key.type === SearchAttributeType.KEYWORD && typeof value === 'string') pairs.push({ key: a.key, value });
  }
  return pairs;
}

/** The fields back from a decoded visibility row, one per table row; null where the workflow has not set it. */
export function subscriptionAttributeFields(attrs: TypedSearchAttributes): { [K in keyof SubscriptionAttributeFields]-?: string | null } {
  const fields = {} as { [K in keyof SubscriptionAttributeFields]-?: string | null };
  for (const a of SUBSCRIPTION_SEARCH_ATTRIBUTES) {
    const value: unknown = attrs.get(a.key);
    fields[a.field] = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : null;
  }
  return fields;
}
