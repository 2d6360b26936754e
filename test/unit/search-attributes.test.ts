import { TypedSearchAttributes } from '@temporalio/common';
import {
  FILTER_ATTRIBUTES,
  SEARCH_ATTRIBUTE_CLI_TYPES,
  searchAttributePairs,
  subscriptionAttributeFields,
  type SubscriptionAttributeFields,
} from '../../src/shared/search-attributes';
import { cardLookupQuery, subscriptionsQuery } from '../../src/temporal/visibility-query';

// One table drives the start, the workflow's upsert, the list's decoding, its filters and registration.
describe('the search-attribute table', () => {
  const fields: SubscriptionAttributeFields = {
    status: 'active',
    gateway: 'paystack',
    gatewayConnectionId: 'paystack-live',
    customerId: 'cus-1',
    planId: 'gold',
    nextChargeAt: '2026-12-31T09:00:00.000Z',
    cardLookupKey: 'a1b2c3',
    lastChargeOutcome: 'declined',
  };

  it('decodes what it encodes, every field', () => {
    const attrs = new TypedSearchAttributes(searchAttributePairs(fields) as ConstructorParameters<typeof TypedSearchAttributes>[0]);
    expect(subscriptionAttributeFields(attrs)).toEqual(fields);
  });

  it('upserts in the order recorded histories used, and clears the next charge with null', () => {
    const { cardLookupKey: _card, lastChargeOutcome: _outcome, ...withoutCard } = fields;
    const pairs = searchAttributePairs({ ...withoutCard, nextChargeAt: null });
    expect(pairs.map((p) => p.key.name)).toEqual(['SubscriptionStatus', 'Gateway', 'GatewayConnectionId', 'CustomerId', 'PlanId', 'NextChargeAt']);
    // A stored card's lookup key (issue 10) and the last charge outcome (0.5.0) come last, so subscriptions without
    // them upsert what they always did.
    expect(searchAttributePairs(fields).map((p) => p.key.name).slice(-2)).toEqual(['CardLookupKey', 'LastChargeOutcome']);
    expect(pairs[5]!.value).toBeNull();
  });

  it('leaves out the fields it is not given (a start has no next charge yet)', () => {
    const attrs = new TypedSearchAttributes(searchAttributePairs({ status: 'incomplete', planId: 'gold' }) as ConstructorParameters<typeof TypedSearchAttributes>[0]);
    expect(subscriptionAttributeFields(attrs)).toEqual({ status: 'incomplete', gateway: null, gatewayConnectionId: null, customerId: null, planId: 'gold', nextChargeAt: null, cardLookupKey: null, lastChargeOutcome: null });
  });

  it('names the registered types and the list filters from the same rows', () => {
    expect(SEARCH_ATTRIBUTE_CLI_TYPES).toEqual({
      SubscriptionStatus: 'Keyword',
      Gateway: 'Keyword',
      GatewayConnectionId: 'Keyword',
      CustomerId: 'Keyword',
      PlanId: 'Keyword',
      NextChargeAt: 'Datetime',
      CardLookupKey: 'Keyword',
      LastChargeOutcome: 'Keyword',
    });
    expect(FILTER_ATTRIBUTES).toEqual({ status: 'SubscriptionStatus', gateway: 'Gateway', customerId: 'CustomerId', planId: 'PlanId' });
    expect(subscriptionsQuery('subscriptionWorkflow', { status: 'active', planId: 'gold' })).toBe(
      'WorkflowType = "subscriptionWorkflow" AND SubscriptionStatus = "active" AND PlanId = "gold"',
    );
  });

  it('finds running subscriptions by a card lookup key, the value quoted', () => {
    expect(cardLookupQuery('subscriptionWorkflow', 'ab"c')).toBe('WorkflowType = "subscriptionWorkflow" AND ExecutionStatus = "Running" AND CardLookupKey = "ab\\"c"');
  });
});
