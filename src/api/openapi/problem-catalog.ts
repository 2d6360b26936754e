import { GATEWAYS } from '../../shared/gateway-policy';
import { SubscriptionIdSchema } from '../../shared/ids';
import { IDEMPOTENCY_HEADER } from '../idempotency-key';
import { fieldErrorsFromZod, Problem, validationProblem } from '../problem';
import { EXAMPLE_SUBSCRIPTION_ID } from './example-requests';

/**
 * Every problem the API answers, named, with when it happens and an example as the code builds it (same status,
 * title and so `type`). Operations list the names they can answer (document.ts); the status test
 * (test/unit/openapi-statuses.test.ts) provokes each one and checks the real answer's `type` is documented here.
 */
export interface CatalogEntry {
  when: string;
  problem: Problem;
  /** sendProblem() without an instance: middleware that answers before the error handler. */
  noInstance?: true;
}

const id = EXAMPLE_SUBSCRIPTION_ID;
const entry = (when: string, problem: Problem, noInstance?: true): CatalogEntry => ({ when, problem, ...(noInstance ? { noInstance } : {}) });

export const PROBLEMS = {
  credentialInQuery: entry(
    'A credential-like query parameter (`api_key`, `token`, …): refused on every route before anything is logged.',
    new Problem(400, 'Credential in query string', 'Send credentials in the Authorization header, never in the URL (parameter "api_key").'),
    true,
  ),
  malformedJson: entry('The body is not valid JSON.', new Problem(400, 'Malformed JSON', 'The request body is not valid JSON.')),
  unreadableBody: entry('The body could not be read (aborted, or shorter than its Content-Length).', new Problem(400, 'Bad request', 'The request could not be read.')),
  idempotencyKeyRequired: entry(
    'The `Idempotency-Key` header is missing or not 1-255 printable ASCII characters.',
    new Problem(400, 'Idempotency-Key required', 'Send an Idempotency-Key header (1-255 printable ASCII characters, e.g. a UUID) with every POST.', [
      { field: IDEMPOTENCY_HEADER, message: 'header is required' },
    ]),
  ),
  unauthorized: entry('No `Authorization: Bearer <key>`, or an unknown key (with `WWW-Authenticate`).', new Problem(401, 'Unauthorized', 'The API key is not valid.')),
  forbidden: entry(
    'The key lacks the scope: `read` for GET, `write` for POST.',
    new Problem(403, 'Forbidden', 'The API key "reporting" does not have the "write" scope this request needs.'),
  ),
  subscriptionNotFound: entry('No subscription with this id.', new Problem(404, 'Not found', `No subscription "${id}".`)),
  subscriptionExists: entry(
    'A subscription with the body\'s `id` exists and this Idempotency-Key did not create it.',
    new Problem(409, 'Conflict', `Subscription "${id}" already exists.`),
  ),
  refused: entry(
    "The subscription's state or its gateway's policy forbids the operation (the workflow's reason in `detail`), or it has ended.",
    new Problem(409, 'Refused', 'Paystack allows a manual retry only while unpaid (status is active)'),
  ),
  bodyTooLarge: entry('The body is larger than 100 kB.', new Problem(413, 'Payload too large', 'The request body is larger than this route accepts.')),
  notJson: entry(
    'A body that is not `application/json` (a bodiless request, or `Content-Length: 0`, is fine).',
    new Problem(415, 'Unsupported media type', 'Send the body as application/json (got text/plain).'),
  ),
  notUtf8: entry('A charset or Content-Encoding the JSON parser does not read.', new Problem(415, 'Unsupported media type', 'Send UTF-8 JSON.')),
  validation: entry(
    'Invalid or unknown fields (schema, then the gateway connection\'s rules), each named in `errors`.',
    validationProblem([{ field: 'at', message: 'Invalid option: expected one of "now"|"period_end"' }]),
  ),
  invalidId: entry(
    'The `id` in the path is not a subscription id.',
    validationProblem(fieldErrorsFromZod(SubscriptionIdSchema.safeParse('x').error!, ['id'])),
  ),
  idempotencyKeyReused: entry(
    'The Idempotency-Key was already used with a different request.',
    new Problem(422, 'Idempotency key reused', 'This Idempotency-Key was already used on this subscription for a different request.', [
      { field: IDEMPOTENCY_HEADER, message: 'already used with a different request' },
    ]),
  ),
  invalidPageToken: entry(
    'A `pageToken` that is not from this listing (or was used with other filters).',
    new Problem(422, 'Validation failed', 'pageToken is not a nextPageToken issued for these filters', [{ field: 'pageToken', message: 'pageToken is not a nextPageToken issued for these filters' }]),
  ),
  internal: entry('An unexpected error (logged, never echoed); the request may be retried.', new Problem(500, 'Internal error', 'Something went wrong on our side; the request may be retried.')),
  operationFailed: entry(
    'The operation was accepted but failed at the gateway (e.g. a refund the gateway refused).',
    new Problem(502, 'Operation failed', 'Paystack refused the refund: transaction has been fully reversed'),
  ),
  temporalUnavailable: entry(
    'Temporal did not answer within the route\'s deadline; retry after `Retry-After` seconds.',
    new Problem(503, 'Service unavailable', 'Temporal is not reachable right now; retry the request.'),
  ),
  gatewayNotFound: entry('No connection with this id.', new Problem(404, 'Gateway connection not found', 'no connection named "paystack-live"'), true),
  liveConnection: entry(
    'The subscription bills through a live connection (or one no longer configured): its time is real.',
    new Problem(409, 'Test clocks need a test-mode connection', `Subscription "${id}" bills through connection "paystack-live", which is live: its time follows the real clock, because moving it would charge a real card ahead of time. Use a connection with "mode": "test".`),
  ),
  timeSkippingUnavailable: entry(
    'The Temporal server cannot skip time for one execution (it needs server 1.32.2 or later, as `npm run dev` runs).',
    new Problem(409, 'Time skipping unavailable', 'The Temporal server does not allow time skipping here (3 INVALID_ARGUMENT: error parsing UpdateMask: proto: invalid path "time_skipping_config" for message "temporal.api.workflow.v1.WorkflowExecutionOptions"); run a server v1.32+ with frontend.WorkflowTimeSkippingEnabled (npm run dev does).'),
  ),
  clockAdvancing: entry(
    'An advance is still running.',
    new Problem(409, 'Test clock advancing', `The clock of "${id}" is still advancing to 2026-05-03T10:15:00.000Z; poll GET /v1/subscriptions/${id}/test-clock until it is ready.`),
  ),
  subscriptionEnded: entry('The subscription has ended.', new Problem(409, 'Subscription ended', `Subscription "${id}" is canceled; there is nothing left for its clock to run.`)),
  unknownWebhookEndpoint: entry(
    `No connection of this gateway (${GATEWAYS.join(', ')}) with this id.`,
    new Problem(404, 'Unknown webhook endpoint', 'no paystack connection named "paystack-old"'),
    true,
  ),
  invalidSignature: entry(
    "The gateway's signature header is missing or does not match the connection's secret.",
    new Problem(401, 'Invalid webhook signature', 'the signature header is missing or does not match this connection'),
    true,
  ),
  malformedWebhook: entry('A signed body that is not JSON.', new Problem(400, 'Malformed webhook body', 'the body is not valid JSON'), true),
  unreadableWebhook: entry('The body could not be read (aborted, or shorter than its Content-Length).', new Problem(400, 'Unreadable webhook body', 'the body could not be read'), true),
  undecodableWebhook: entry('A Content-Encoding the server does not decode.', new Problem(415, 'Unreadable webhook body', 'the body could not be read'), true),
  webhookTooLarge: entry('The body is larger than 256 kB.', new Problem(413, 'Webhook body too large', 'the limit is 256kb'), true),
  webhookNotRecorded: entry(
    'Temporal did not accept a signal: nothing was recorded and the gateway should redeliver.',
    new Problem(503, 'Temporarily unable to process webhook', 'the event was not recorded; please retry'),
    true,
  ),
  webhookMisconfigured: entry(
    'The body was parsed before signature verification (a wiring bug of the deployment).',
    new Problem(500, 'Webhook endpoint misconfigured', 'the webhook body was consumed before signature verification'),
    true,
  ),
  notReady: entry('Temporal is not reachable, or no worker is polling the subscriptions task queue (the detail says which).', new Problem(503, 'Service unavailable', 'Temporal is not reachable.'), true),
} satisfies Record<string, CatalogEntry>;

export type ProblemName = keyof typeof PROBLEMS;
