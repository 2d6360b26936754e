import type { z } from 'zod';
import { SubscriptionViewSchema } from '../../shared/state';
import { ProblemSchema } from '../schemas';
import { jsonSchema, type JsonSchema } from './json-schema';

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

/** Small builders for OpenAPI operation objects, so the document reads as a list of routes. */
export const problemResponse = (description: string): JsonSchema => ({
  description,
  content: { 'application/problem+json': { schema: outputSchema(ProblemSchema) } },
});

export const jsonResponse = (description: string, schema: z.ZodType, headers?: JsonSchema): JsonSchema => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: outputSchema(schema) } },
});

export const jsonRequest = (schema: z.ZodType, required = true): JsonSchema => ({
  required,
  content: { 'application/json': { schema: jsonSchema(schema, 'input') } },
});

export const pathParam = (name: string, description: string, schema: JsonSchema = { type: 'string' }): JsonSchema => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

export const IDEMPOTENCY_PARAM: JsonSchema = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description:
    'Required on every POST. Repeating a request with the same key and body returns the original outcome (even after a restart); ' +
    'the same key with a different body is 422.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

/** Errors every authenticated route can answer. */
export const AUTH_ERRORS: JsonSchema = {
  '401': problemResponse('Missing or unknown API key.'),
  '403': problemResponse('The API key lacks the scope this request needs (read for GET, write for POST).'),
  '503': problemResponse('Temporal is unreachable; retry.'),
};

/** Errors every JSON POST can answer, besides its own. */
export const POST_ERRORS: JsonSchema = {
  ...AUTH_ERRORS,
  '400': problemResponse('Malformed JSON, or the Idempotency-Key header is missing.'),
  '413': problemResponse('The body is larger than 100 kB.'),
  '415': problemResponse('The body is not application/json.'),
  '422': problemResponse('Invalid or unknown fields (each named in `errors`), or an Idempotency-Key reused with a different body.'),
};
