import type { z } from 'zod';
import { validateSubscriptionForConnection } from '../../gateways/rules';
import { SubscriptionIdSchema } from '../../shared/ids';
import { CancelRequestSchema, ChangePlanRequestSchema, RefundRequestSchema } from '../../shared/messages';
import { CreateSubscriptionBodySchema } from '../../shared/schemas';
import { SubscriptionViewSchema } from '../../shared/state';
import type { Problem } from '../problem';
import { connectionRefusal } from '../routes/subscriptions-create';
import { EmptyBodySchema, ListSubscriptionsQuerySchema, SubscriptionPageSchema } from '../schemas';
import { cancelExample, changePlanExample, createExample, EXAMPLE_SUBSCRIPTION_ID, refundExample } from './example-requests';
import { activeExample, exampleConnection, incompleteExample, pageExample } from './example-views';
import { jsonSchema, type JsonSchema } from './json-schema';
import { idempotencyParam, jsonRequest, jsonResponse, pathParam, problemResponses, validationExample } from './operations';
import type { ProblemName } from './problem-catalog';
import { POST_PROBLEMS, secured, TEMPORAL_PROBLEMS, withServerResponses } from './route-groups';

export const ID_PARAM = pathParam('id', 'The subscription id.', EXAMPLE_SUBSCRIPTION_ID, jsonSchema(SubscriptionIdSchema, 'input'));
export const at = (suffix = ''): string => `/v1/subscriptions/${EXAMPLE_SUBSCRIPTION_ID}${suffix}`;
export const BY_ID: ProblemName[] = ['invalidId', 'subscriptionNotFound'];

/** Query parameters from the same zod schema the route parses them with. */
function queryParams(schema: z.ZodObject): JsonSchema[] {
  const object = jsonSchema(schema, 'input') as { properties: Record<string, JsonSchema> };
  return Object.entries(object.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}

/** The create's 422 from the gateway's rules: the example without a last name, billed every 2 months (Paystack needs both). */
function createRefusal(): Problem {
  const { lastName: _lastName, ...customer } = createExample.customer;
  const body = CreateSubscriptionBodySchema.parse({ ...createExample, customer, plan: { ...createExample.plan, intervalCount: 2 } });
  return connectionRefusal(exampleConnection.gateway, validateSubscriptionForConnection(body, exampleConnection));
}

/** A body for /pause, /resume, /retry, /card-update and /checkout/reissue: none, or `{}`. */
const EMPTY: [z.ZodType, unknown, boolean] = [EmptyBodySchema, {}, false];

/**
 * One subscription operation: a workflow update, 200 with the new state or 409 with the workflow's refusal.
 * `extra` names what the route checks before the update (the plan's gateway rules are 422 `validation`).
 */
function operation(suffix: string, summary: string, description: string, [body, example, required]: [z.ZodType, unknown, boolean]): JsonSchema {
  return {
    post: {
      tags: ['subscriptions'],
      summary,
      description,
      ...secured,
      parameters: [ID_PARAM, idempotencyParam(`${EXAMPLE_SUBSCRIPTION_ID}${suffix.replace(/\//g, '-')}-1`)],
      requestBody: jsonRequest(body, example, required),
      responses: withServerResponses({
        '200': jsonResponse('The subscription after the operation.', SubscriptionViewSchema, activeExample),
        ...problemResponses(at(suffix), [...POST_PROBLEMS, ...BY_ID, 'refused', 'operationFailed'], {
          validation: validationExample(body, { ...(example as object), note: 'not a field' }),
        }),
      }),
    },
  };
}

const op = (suffix: string, summary: string, description: string, body: [z.ZodType, unknown, boolean]): [string, JsonSchema] => [
  `/v1/subscriptions/{id}${suffix}`,
  operation(suffix, summary, description, body),
];

/** `/v1/subscriptions` and everything under it but test clocks (test-clock-paths.ts). */
export const subscriptionPaths = (): JsonSchema => ({
  '/v1/subscriptions': {
    get: {
      tags: ['subscriptions'],
      summary: 'List subscriptions (Temporal visibility; newest first)',
      description: 'Filters are ANDed and matched exactly. A query parameter not listed here is refused (422), like an unknown body field.',
      ...secured,
      parameters: queryParams(ListSubscriptionsQuerySchema),
      responses: withServerResponses({
        '200': jsonResponse('One page.', SubscriptionPageSchema, pageExample),
        ...problemResponses('/v1/subscriptions?status=overdue', [...TEMPORAL_PROBLEMS, 'validation', 'invalidPageToken'], {
          validation: validationExample(ListSubscriptionsQuerySchema, { status: 'overdue' }),
        }),
      }),
    },
    post: {
      tags: ['subscriptions'],
      summary: 'Create a subscription',
      description: 'Starts the subscription and answers with the checkout the customer must open to authorize the card.',
      ...secured,
      parameters: [idempotencyParam(`create-${EXAMPLE_SUBSCRIPTION_ID}`)],
      requestBody: jsonRequest(CreateSubscriptionBodySchema, createExample),
      responses: withServerResponses({
        '201': jsonResponse('Created (or the replay of a create with the same key and body: `Idempotent-Replayed: true`).', SubscriptionViewSchema, incompleteExample, {
          Location: { schema: { type: 'string' }, example: at() },
          'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] }, description: 'Present on a replay only.' },
        }),
        ...problemResponses('/v1/subscriptions', [...POST_PROBLEMS, 'subscriptionExists'], { validation: createRefusal() }),
      }),
    },
  },
  '/v1/subscriptions/{id}': {
    get: {
      tags: ['subscriptions'],
      summary: 'Get a subscription',
      ...secured,
      parameters: [ID_PARAM],
      responses: withServerResponses({
        '200': jsonResponse('The current state.', SubscriptionViewSchema, activeExample),
        ...problemResponses(at(), [...TEMPORAL_PROBLEMS, ...BY_ID]),
      }),
    },
  },
  ...Object.fromEntries([
    op('/cancel', 'Cancel now or at the end of the period', 'at: "now" ends it immediately.', [CancelRequestSchema, cancelExample, true]),
    op('/pause', 'Pause billing', 'Only an active subscription can be paused.', EMPTY),
    op('/resume', 'Resume a paused subscription', 'Billing restarts from the next period.', EMPTY),
    op(
      '/retry',
      'Retry a failed renewal now',
      "Razorpay: runs the next scheduled attempt early. Paystack: one more attempt while unpaid. 409 where the gateway's policy forbids it.",
      EMPTY,
    ),
    op(
      '/plan',
      'Change the plan from the next cycle',
      "Validated against the gateway's rules (e.g. Paystack bills single intervals only): 422 naming the field.",
      [ChangePlanRequestSchema, changePlanExample, true],
    ),
    op('/refunds', 'Refund (part of) a charge', 'Amount in minor units; omitted refunds what is left.', [RefundRequestSchema, refundExample, true]),
    op(
      '/card-update',
      'Replace the card: open a checkout for a new one',
      "Answers with `cardUpdate.checkoutUrl` for the customer. The gateway's minimum is charged there and refunded; renewals move to the new card once it is authorized, and an unpaid or past_due cycle is charged on it at once. 409 while incomplete (reissue the checkout instead), after the end, or when the connection cannot refund. Asking again replaces a pending card update.",
      EMPTY,
    ),
    op(
      '/checkout/reissue',
      'Reissue the pending checkout link',
      'A new link under the next reference, with a fresh authorization window; a payment at the old link is refunded. 409 unless the subscription is incomplete with its checkout open.',
      EMPTY,
    ),
  ]),
});
