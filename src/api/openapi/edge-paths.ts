import { z } from 'zod';
import { GATEWAYS } from '../../shared/gateway-policy';
import { EXAMPLE_CONNECTION_ID, paystackWebhookExample } from './example-requests';
import { gatewayExample, webhookAckExample } from './example-views';
import { GatewayConnectionListSchema, GatewayConnectionViewSchema, WebhookAckSchema } from './external-schemas';
import type { JsonSchema } from './json-schema';
import { jsonRequest, jsonResponse, pathParam, problemResponses } from './operations';
import { EVERY_ROUTE, secured, V1_PROBLEMS, withServerResponses } from './route-groups';

/** Any JSON: the webhook route reads raw bytes and each gateway's adapter decides what it understands. */
const AnyJsonSchema = z.unknown();

const plain = (summary: string, ok: JsonSchema, path: string, extra: JsonSchema = {}): JsonSchema => ({
  get: { tags: ['operations'], summary, responses: withServerResponses({ '200': ok, ...extra, ...problemResponses(path, EVERY_ROUTE) }) },
});

/** The gateway edge (connections, webhooks) and the unauthenticated operations routes. */
export const edgePaths = (): JsonSchema => ({
  '/v1/gateways': {
    get: {
      tags: ['gateways'],
      summary: 'List gateway connections',
      ...secured,
      responses: withServerResponses({
        '200': jsonResponse('Connections, without secrets.', GatewayConnectionListSchema, { data: [gatewayExample] }),
        ...problemResponses('/v1/gateways', V1_PROBLEMS),
      }),
    },
  },
  '/v1/gateways/{id}': {
    get: {
      tags: ['gateways'],
      summary: 'Get a gateway connection',
      ...secured,
      parameters: [pathParam('id', 'The connection id, e.g. paystack-sandbox.', EXAMPLE_CONNECTION_ID)],
      responses: withServerResponses({
        '200': jsonResponse('The connection, without secrets.', GatewayConnectionViewSchema, gatewayExample),
        ...problemResponses(`/v1/gateways/${EXAMPLE_CONNECTION_ID}`, [...V1_PROBLEMS, 'gatewayNotFound']),
      }),
    },
  },
  '/webhooks/{gateway}/{connectionId}': {
    post: {
      tags: ['webhooks'],
      summary: "Gateway webhook (authenticated by the gateway's signature, not an API key)",
      description:
        "The raw body is verified against the connection's secret (`x-paystack-signature`, `verif-hash`, `x-razorpay-signature`) " +
        'before it is parsed. The example is Paystack\'s `charge.success`; a signed event for no Chargeloop subscription is `200` with `ignored`.',
      parameters: [
        pathParam('gateway', 'The connection\'s gateway.', 'paystack', { type: 'string', enum: [...GATEWAYS] }),
        pathParam('connectionId', 'The connection the webhook is for.', EXAMPLE_CONNECTION_ID),
      ],
      requestBody: jsonRequest(AnyJsonSchema, paystackWebhookExample),
      responses: withServerResponses({
        '200': jsonResponse('Accepted (also for duplicates and ignored events).', WebhookAckSchema, webhookAckExample),
        ...problemResponses(`/webhooks/paystack/${EXAMPLE_CONNECTION_ID}`, [
          ...EVERY_ROUTE,
          'malformedWebhook',
          'unreadableWebhook',
          'invalidSignature',
          'unknownWebhookEndpoint',
          'webhookTooLarge',
          'undecodableWebhook',
          'webhookMisconfigured',
          'internal',
          'webhookNotRecorded',
        ]),
      }),
    },
  },
  '/healthz': plain('Liveness', { description: 'OK' }, '/healthz'),
  '/readyz': plain('Readiness: Temporal answers and a worker polls the subscriptions task queue', { description: 'OK' }, '/readyz', problemResponses('/readyz', ['notReady'])),
  '/metrics': plain('Prometheus metrics', { description: 'Text exposition format.' }, '/metrics'),
  '/openapi.json': plain('This document', { description: 'OpenAPI 3.1 JSON.' }, '/openapi.json'),
  '/docs': plain('Interactive API docs (served locally, no CDN)', { description: 'HTML.' }, '/docs', {
    '301': { description: 'Redirect to `/docs/`, where the page loads its assets relative to itself.', headers: { Location: { schema: { type: 'string' }, example: '/docs/' } } },
  }),
});
