import type { z } from 'zod';
import { SubscriptionIdSchema } from '../../shared/ids';
import { CancelRequestSchema, ChangePlanRequestSchema, RefundRequestSchema } from '../../shared/messages';
import { CreateSubscriptionBodySchema } from '../../shared/schemas';
import { SubscriptionViewSchema } from '../../shared/state';
import { AdvanceTestClockRequestSchema, TestClockViewSchema } from '../routes/test-clock-schemas';
import { EmptyBodySchema, ListSubscriptionsQuerySchema, SubscriptionPageSchema } from '../schemas';
import { GatewayConnectionListSchema, GatewayConnectionViewSchema, WebhookAckSchema } from './external-schemas';
import { jsonSchema, type JsonSchema } from './json-schema';
import { AUTH_ERRORS, componentSchemas, IDEMPOTENCY_PARAM, jsonRequest, jsonResponse, pathParam, POST_ERRORS, problemResponse } from './operations';

const ID_PARAM = pathParam('id', 'The subscription id.', jsonSchema(SubscriptionIdSchema, 'input'));
const secured = { security: [{ apiKey: [] }] };

/** Query parameters from the same zod schema the route parses them with. */
function queryParams(schema: z.ZodObject): JsonSchema[] {
  const object = jsonSchema(schema, 'input') as { properties: Record<string, JsonSchema> };
  return Object.entries(object.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}

/** One subscription operation: a workflow update, 200 with the new state or 409 with the workflow's refusal. */
function operation(summary: string, description: string, body: z.ZodType, bodyRequired: boolean): JsonSchema {
  return {
    post: {
      tags: ['subscriptions'],
      summary,
      description,
      ...secured,
      parameters: [ID_PARAM, IDEMPOTENCY_PARAM],
      requestBody: jsonRequest(body, bodyRequired),
      responses: {
        '200': jsonResponse('The subscription after the operation.', SubscriptionViewSchema),
        ...POST_ERRORS,
        '404': problemResponse('No such subscription.'),
        '409': problemResponse('The subscription refused the operation in its current state; `detail` gives the reason.'),
        '502': problemResponse('The operation was accepted but failed at the gateway.'),
      },
    },
  };
}

const health = (summary: string): JsonSchema => ({
  get: { tags: ['operations'], summary, responses: { '200': { description: 'OK' }, '503': problemResponse('Not ready.') } },
});

/** The OpenAPI 3.1 document, built from the zod schemas the routes validate with, so the two cannot drift apart. */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chargeloop API',
      version: '1.0.0',
      description: 'Recurring card subscriptions on Paystack, Flutterwave and Razorpay. Every error is application/problem+json (RFC 9457).',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: {
      schemas: componentSchemas(),
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`.' } },
    },
    paths: {
      '/v1/subscriptions': {
        get: {
          tags: ['subscriptions'],
          summary: 'List subscriptions (Temporal visibility; newest first)',
          ...secured,
          parameters: queryParams(ListSubscriptionsQuerySchema),
          responses: { '200': jsonResponse('One page.', SubscriptionPageSchema), ...AUTH_ERRORS, '422': problemResponse('Invalid filter or page token.') },
        },
        post: {
          tags: ['subscriptions'],
          summary: 'Create a subscription',
          description: 'Starts the subscription and answers with the checkout the customer must open to authorize the card.',
          ...secured,
          parameters: [IDEMPOTENCY_PARAM],
          requestBody: jsonRequest(CreateSubscriptionBodySchema),
          responses: {
            '201': jsonResponse('Created (or the replay of a create with the same key and body).', SubscriptionViewSchema, {
              Location: { schema: { type: 'string' } },
            }),
            ...POST_ERRORS,
            '409': problemResponse('A subscription with this id exists and this Idempotency-Key did not create it.'),
          },
        },
      },
      '/v1/subscriptions/{id}': {
        get: {
          tags: ['subscriptions'],
          summary: 'Get a subscription',
          ...secured,
          parameters: [ID_PARAM],
          responses: { '200': jsonResponse('The current state.', SubscriptionViewSchema), ...AUTH_ERRORS, '404': problemResponse('No such subscription.') },
        },
      },
      '/v1/subscriptions/{id}/cancel': operation('Cancel now or at the end of the period', 'at: "now" ends it immediately.', CancelRequestSchema, true),
      '/v1/subscriptions/{id}/pause': operation('Pause billing', 'Only an active subscription can be paused.', EmptyBodySchema, false),
      '/v1/subscriptions/{id}/resume': operation('Resume a paused subscription', 'Billing restarts from the next period.', EmptyBodySchema, false),
      '/v1/subscriptions/{id}/retry': operation(
        'Retry a failed renewal now',
        "Razorpay: runs the next scheduled attempt early. Paystack: one more attempt while unpaid. 409 where the gateway's policy forbids it.",
        EmptyBodySchema,
        false,
      ),
      '/v1/subscriptions/{id}/plan': operation(
        'Change the plan from the next cycle',
        "Validated against the gateway's rules (e.g. Paystack bills single intervals only): 422 naming the field.",
        ChangePlanRequestSchema,
        true,
      ),
      '/v1/subscriptions/{id}/refunds': operation('Refund (part of) a charge', 'Amount in minor units; omitted refunds what is left.', RefundRequestSchema, true),
      '/v1/subscriptions/{id}/card-update': operation(
        'Replace the card: open a checkout for a new one',
        "Answers with `cardUpdate.checkoutUrl` for the customer. The gateway's minimum is charged there and refunded; renewals move to the new card once it is authorized, and an unpaid or past_due cycle is charged on it at once. 409 while incomplete (reissue the checkout instead), after the end, or when the connection cannot refund. Asking again replaces a pending card update.",
        EmptyBodySchema,
        false,
      ),
      '/v1/subscriptions/{id}/checkout/reissue': operation(
        'Reissue the pending checkout link',
        'A new link under the next reference, with a fresh authorization window; a payment at the old link is refunded. 409 unless the subscription is incomplete with its checkout open.',
        EmptyBodySchema,
        false,
      ),
      '/v1/subscriptions/{id}/test-clock': {
        get: {
          tags: ['test clocks'],
          summary: "Read the subscription's test clock (test-mode connections only)",
          description: 'Poll after an advance until `status` is `ready`; `subscription` is the state reached.',
          ...secured,
          parameters: [ID_PARAM],
          responses: {
            '200': jsonResponse('The clock and the subscription.', TestClockViewSchema),
            ...AUTH_ERRORS,
            '404': problemResponse('No such subscription.'),
            '409': problemResponse('The subscription bills through a live connection, or the Temporal server cannot skip time.'),
          },
        },
      },
      '/v1/subscriptions/{id}/test-clock/advance': {
        post: {
          tags: ['test clocks'],
          summary: "Advance the subscription's virtual time (test-mode connections only)",
          description:
            'Fast-forwards the subscription by `by` (`36h`, `30d`, `3mo`, …) or `to` an instant, at most two billing intervals per call. ' +
            'Renewals, retries and windows due before the target fire in order against the gateway (sandbox). Answers 202 with the clock ' +
            '`advancing` and a `Location` to poll; a retried request (same Idempotency-Key and body) answers with the clock it started.',
          ...secured,
          parameters: [ID_PARAM, IDEMPOTENCY_PARAM],
          requestBody: jsonRequest(AdvanceTestClockRequestSchema),
          responses: {
            '200': jsonResponse('A retried advance that has already finished.', TestClockViewSchema),
            '202': jsonResponse('Advancing; poll the Location.', TestClockViewSchema, { Location: { schema: { type: 'string' } } }),
            ...POST_ERRORS,
            '404': problemResponse('No such subscription.'),
            '409': problemResponse('A live connection (its time is real), an advance still running, an ended subscription, or a server that cannot skip time.'),
          },
        },
      },
      '/v1/gateways': {
        get: { tags: ['gateways'], summary: 'List gateway connections', ...secured, responses: { '200': jsonResponse('Connections, without secrets.', GatewayConnectionListSchema), ...AUTH_ERRORS } },
      },
      '/v1/gateways/{id}': {
        get: {
          tags: ['gateways'],
          summary: 'Get a gateway connection',
          ...secured,
          parameters: [pathParam('id', 'The connection id, e.g. paystack-sandbox.')],
          responses: { '200': jsonResponse('The connection, without secrets.', GatewayConnectionViewSchema), ...AUTH_ERRORS, '404': problemResponse('No such connection.') },
        },
      },
      '/webhooks/{gateway}/{connectionId}': {
        post: {
          tags: ['webhooks'],
          summary: "Gateway webhook (authenticated by the gateway's signature, not an API key)",
          parameters: [pathParam('gateway', 'paystack, flutterwave or razorpay.'), pathParam('connectionId', 'The connection the webhook is for.')],
          requestBody: { required: true, content: { 'application/json': { schema: {} } } },
          responses: {
            '200': jsonResponse('Accepted (also for duplicates and ignored events).', WebhookAckSchema),
            '401': problemResponse('Missing or invalid signature.'),
            '404': problemResponse('No such connection.'),
            '503': problemResponse('Not recorded; the gateway should redeliver.'),
          },
        },
      },
      '/healthz': health('Liveness'),
      '/readyz': health('Readiness: Temporal answers'),
      '/metrics': { get: { tags: ['operations'], summary: 'Prometheus metrics', responses: { '200': { description: 'Text exposition format.' } } } },
      '/openapi.json': { get: { tags: ['operations'], summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 JSON.' } } } },
      '/docs': { get: { tags: ['operations'], summary: 'Interactive API docs (served locally, no CDN)', responses: { '200': { description: 'HTML.' } } } },
    },
  };
}
