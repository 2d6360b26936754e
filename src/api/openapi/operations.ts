import type { z } from 'zod';
import { SubscriptionViewSchema } from '../../shared/state';
import { IDEMPOTENCY_KEY_PATTERN } from '../idempotency-key';
import { fieldErrorsFromZod, validationProblem, type Problem } from '../problem';
import { ProblemSchema } from '../schemas';
import { jsonSchema, type JsonSchema } from './json-schema';
import { PROBLEMS, type ProblemName } from './problem-catalog';

/** Response schemas used by many operations: described once under components.schemas and referenced. */
export const NAMED_SCHEMAS: ReadonlyMap<z.ZodType, string> = new Map<z.ZodType, string>([
  [SubscriptionViewSchema, 'Subscription'],
  [ProblemSchema, 'Problem'],
]);

export const componentSchemas = (): JsonSchema =>
  Object.fromEntries([...NAMED_SCHEMAS].map(([schema, name]) => [name, jsonSchema(schema, 'output')]));

const outputSchema = (schema: z.ZodType): JsonSchema => {
  const name = NAMED_SCHEMAS.get(schema);
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, 'output');
};

/**
 * An example is parsed with the zod schema it illustrates when the document is built: one the API would refuse, or
 * a response it could not give, fails at startup and in every test instead of in a reader's "Try it out".
 */
function checked<T>(schema: z.ZodType, example: T, what: string): T {
  const parsed = schema.safeParse(example);
  if (!parsed.success) throw new Error(`OpenAPI example for ${what} does not match its schema: ${parsed.error.message}`);
  return example;
}

/**
 * The problems an operation can answer, grouped by status. Each status says when it happens and carries one
 * example per cause, built like the route builds it; `at` is the example request's path (the problem's instance),
 * and `own` replaces a catalog example with the operation's own (its 422 from its own schema).
 */
export function problemResponses(at: string, names: readonly ProblemName[], own: Partial<Record<ProblemName, Problem>> = {}): Record<string, JsonSchema> {
  const byStatus = new Map<number, ProblemName[]>();
  for (const name of new Set(names)) {
    const status = PROBLEMS[name].problem.status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), name]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      String(status),
      {
        description: group.map((name) => PROBLEMS[name].when).join(' '),
        content: {
          'application/problem+json': {
            schema: outputSchema(ProblemSchema),
            examples: Object.fromEntries(
              group.map((name) => {
                const { noInstance } = PROBLEMS[name];
                const problem = own[name] ?? PROBLEMS[name].problem;
                return [name, { summary: problem.title, value: checked(ProblemSchema, problem.toJSON(noInstance ? undefined : at), name) }];
              }),
            ),
          },
        },
      },
    ]),
  );
}

/**
 * Statuses Node's HTTP server sends itself, before the app sees the request: no problem body (the connection closes).
 * 431 past the 16 KiB header limit; 408 when the request (headers or body) takes too long (src/api/server-limits.ts).
 */
export const SERVER_RESPONSES: JsonSchema = {
  '408': { description: 'Sent by the HTTP server, without a body, when the request did not arrive in time (headers 10 s, whole request 30 s).' },
  '431': { description: 'Sent by the HTTP server, without a body, when the request headers are larger than 16 KiB.' },
};

export const jsonResponse = (description: string, schema: z.ZodType, example: unknown, headers?: JsonSchema): JsonSchema => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: outputSchema(schema), example: checked(schema, example, description) } },
});

export const jsonRequest = (schema: z.ZodType, example: unknown, required = true): JsonSchema => ({
  required,
  content: { 'application/json': { schema: jsonSchema(schema, 'input'), example: checked(schema, example, 'a request body') } },
});

export const pathParam = (name: string, description: string, example: string, schema: JsonSchema = { type: 'string' }): JsonSchema => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
  example,
});

/**
 * The Idempotency-Key header, with an example per operation: keys are scoped to the subscription, so one example key
 * for every POST would make the second operation tried in Swagger a 422 (the key reused for another request).
 */
export const idempotencyParam = (example: string): JsonSchema => ({
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description:
    'Required on every POST. Repeating a request with the same key and body returns the original outcome (even after a restart); ' +
    'the same key with a different body is 422.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN.source },
  example,
});

/**
 * The 422 a route answers for `invalid`, from its own zod schema: the messages and field paths are the ones the API
 * sends, not a copy. Throws when `invalid` is valid, so the example cannot quietly stop being a refusal.
 */
export function validationExample(schema: z.ZodType, invalid: unknown): Problem {
  const parsed = schema.safeParse(invalid);
  if (parsed.success) throw new Error(`OpenAPI validation example is valid: ${JSON.stringify(invalid)}`);
  return validationProblem(fieldErrorsFromZod(parsed.error));
}
