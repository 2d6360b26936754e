import type { JsonSchema } from './json-schema';
import { SERVER_RESPONSES } from './operations';
import type { ProblemName } from './problem-catalog';

/**
 * The problems every route of a kind can answer, from the middleware in front of it (src/api/app.ts), so no
 * operation can forget one. Each operation adds its own.
 */

/** Any route: refuseQuerySecrets runs before everything. */
export const EVERY_ROUTE: ProblemName[] = ['credentialInQuery'];

/** Under /v1: the API key, then the JSON body parser (for a GET that sends a body too), then the error handler. */
export const V1_PROBLEMS: ProblemName[] = [...EVERY_ROUTE, 'malformedJson', 'unreadableBody', 'unauthorized', 'forbidden', 'bodyTooLarge', 'notJson', 'notUtf8', 'internal'];

/** Routes that call Temporal, under the route deadline (temporal-deadline.ts). */
export const TEMPORAL_PROBLEMS: ProblemName[] = [...V1_PROBLEMS, 'temporalUnavailable'];

/** Every POST under /v1: the Idempotency-Key, and a body parsed by its zod schema. */
export const POST_PROBLEMS: ProblemName[] = [...TEMPORAL_PROBLEMS, 'idempotencyKeyRequired', 'validation', 'idempotencyKeyReused'];

export const secured = { security: [{ apiKey: [] }] };

/** Adds what Node's HTTP server answers by itself (408, 431) to an operation's responses. */
export const withServerResponses = (responses: JsonSchema): JsonSchema => ({ ...responses, ...SERVER_RESPONSES });
