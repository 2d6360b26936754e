import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes operators filter on in the Temporal UI and `temporal workflow list --query`. */
export const GatewayAttr = defineSearchAttributeKey('Gateway', SearchAttributeType.KEYWORD);
export const SubscriptionStatusAttr = defineSearchAttributeKey('SubscriptionStatus', SearchAttributeType.KEYWORD);
export const CustomerIdAttr = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const PlanIdAttr = defineSearchAttributeKey('PlanId', SearchAttributeType.KEYWORD);
export const NextChargeAtAttr = defineSearchAttributeKey('NextChargeAt', SearchAttributeType.DATETIME);
export const GatewayConnectionIdAttr = defineSearchAttributeKey('GatewayConnectionId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [GatewayAttr, SubscriptionStatusAttr, CustomerIdAttr, PlanIdAttr, NextChargeAtAttr, GatewayConnectionIdAttr];

/** `Name=Type` pairs for `temporal server start-dev --search-attribute` and `temporal operator search-attribute create`. */
export const SEARCH_ATTRIBUTE_CLI_TYPES: Record<string, string> = {
  Gateway: 'Keyword',
  SubscriptionStatus: 'Keyword',
  CustomerId: 'Keyword',
  PlanId: 'Keyword',
  NextChargeAt: 'Datetime',
  GatewayConnectionId: 'Keyword',
};
