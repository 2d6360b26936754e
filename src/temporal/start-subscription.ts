import type { Client, WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { subscriptionWorkflowId } from '../shared/ids';
import { formatMoney } from '../shared/money';
import type { SubscriptionInput } from '../shared/schemas';
import { searchAttributePairs } from '../shared/search-attributes';
import type { subscriptionWorkflow } from '../workflows';

const intervalText = (p: SubscriptionInput['plan']): string =>
  p.intervalCount === 1 ? `every ${p.interval}` : `every ${p.intervalCount} ${p.interval}s`;

/**
 * Starts the subscription's workflow under its deterministic id; rejects with WorkflowExecutionAlreadyStartedError if it
 * exists. `memo` carries data the API needs to recognise its own retries later (hashes only, never a secret).
 */
export async function startSubscription(
  client: Client,
  taskQueue: string,
  input: SubscriptionInput,
  memo?: Record<string, unknown>,
): Promise<WorkflowHandle<typeof subscriptionWorkflow>> {
  const { customer, plan } = input;
  return client.workflow.start<typeof subscriptionWorkflow>('subscriptionWorkflow', {
    taskQueue,
    workflowId: subscriptionWorkflowId(input.subscriptionId),
    args: [input],
    // A subscription id is never reused, even after the workflow closed.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    ...(memo ? { memo } : {}),
    // NextChargeAt is left unset: it is only known once the card is authorized.
    typedSearchAttributes: new TypedSearchAttributes(
      searchAttributePairs({
        status: 'incomplete',
        gateway: input.gateway,
        gatewayConnectionId: input.gatewayConnectionId,
        customerId: customer.id,
        planId: plan.id,
      }) as ConstructorParameters<typeof TypedSearchAttributes>[0],
    ),
    // Summaries and search attributes name the customer by id only: visibility and lists show them to every operator.
    staticSummary: `${customer.id} · ${plan.id} ${formatMoney(plan)} ${intervalText(plan)} · ${input.gateway}`.slice(0, 200),
    staticDetails: [
      `**Customer** ${customer.id}`,
      `**Plan** ${plan.id}: ${formatMoney(plan)} ${intervalText(plan)}` +
        (plan.trialDays ? `, ${plan.trialDays}-day trial` : '') +
        (plan.totalCycles ? `, ${plan.totalCycles} cycles` : ''),
      `**Gateway** ${input.gateway} (${input.gatewayConnectionId})`,
    ].join('\n\n'),
  });
}
