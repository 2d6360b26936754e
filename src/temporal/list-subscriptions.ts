import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { subscriptionIdFromWorkflowId } from '../shared/ids';
import { subscriptionAttributeFields } from '../shared/search-attributes';
import type { PageTokens } from './page-token';
import { subscriptionsQuery, type SubscriptionFilters } from './visibility-query';

/** One row of the list: what visibility knows without asking each workflow (cheap, possibly a moment stale). */
export interface SubscriptionSummary {
  id: string;
  status: string | null;
  gateway: string | null;
  gatewayConnectionId: string | null;
  customerId: string | null;
  planId: string | null;
  nextChargeAt: string | null;
  createdAt: string | null;
}

export interface SubscriptionPage {
  data: SubscriptionSummary[];
  /** Opaque; pass back as `pageToken` for the next page. Null on the last page. */
  nextPageToken: string | null;
}

/** Thrown when the server rejects a page token (not one it issued for this query). */
export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError';
}

/** One page of subscriptions from Temporal visibility, newest first, paged with Temporal's own token (see page-token.ts). */
export async function listSubscriptions(
  client: Client,
  filters: SubscriptionFilters,
  page: { pageSize: number; pageToken?: string },
  tokens: PageTokens,
): Promise<SubscriptionPage> {
  const query = subscriptionsQuery('subscriptionWorkflow', filters);
  const nextPageToken = page.pageToken ? tokens.decode(query, page.pageToken) : undefined;
  if (page.pageToken && !nextPageToken) throw new InvalidPageTokenError('pageToken is not a nextPageToken issued for these filters');
  const response = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, pageSize: page.pageSize, nextPageToken });
  const data = (response.executions ?? []).map((execution): SubscriptionSummary => {
    const fields = subscriptionAttributeFields(decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields));
    const workflowId = execution.execution?.workflowId ?? '';
    const start = execution.startTime?.seconds;
    return {
      id: subscriptionIdFromWorkflowId(workflowId) ?? workflowId,
      status: fields.status,
      gateway: fields.gateway,
      gatewayConnectionId: fields.gatewayConnectionId,
      customerId: fields.customerId,
      planId: fields.planId,
      nextChargeAt: fields.nextChargeAt,
      createdAt: start != null ? new Date(Number(start) * 1000).toISOString() : null,
    };
  });
  const token = response.nextPageToken;
  return { data, nextPageToken: token && token.length > 0 ? tokens.encode(query, token) : null };
}
