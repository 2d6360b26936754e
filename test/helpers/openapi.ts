import { z } from 'zod';
import { buildOpenApiDocument } from '../../src/api/openapi/document';

type Json = Record<string, unknown>;
export interface MediaType {
  schema?: Json;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
export interface Operation {
  parameters?: { name: string; in: string; example?: unknown; schema?: Json }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

export const openApi = buildOpenApiDocument() as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };

/** Every operation of the document as [METHOD, path template, operation]. */
export const operations = (): [string, string, Operation][] =>
  Object.entries(openApi.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, string, Operation] => [method.toUpperCase(), path, op]));

export function operation(method: string, template: string): Operation {
  const op = openApi.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${template} is not in the document`);
  return op;
}

/** The operation's documented request body example (application/json). */
export const exampleBody = (op: Operation): unknown => op.requestBody?.content['application/json']?.example;

/** The path with each parameter replaced by its documented example. */
export const concrete = (template: string, op: Operation): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const example = op.parameters?.find((p) => p.name === name && p.in === 'path')?.example;
    return typeof example === 'string' ? example : name;
  });

/** The schema with `#/components/schemas/...` references replaced by what they name (the document has no cycles). */
function resolved(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(resolved);
  if (!schema || typeof schema !== 'object') return schema;
  const ref = (schema as { $ref?: string }).$ref;
  if (ref) return resolved(openApi.components.schemas[ref.replace('#/components/schemas/', '')]);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolved(v)]));
}

/**
 * Why `value` does not match the document's JSON Schema (an empty list when it does). The document's schema, not
 * the zod one it came from: what a client generated from /openapi.json would check. zod reads it back.
 */
export function schemaErrors(schema: Json | undefined, value: unknown): string[] {
  const parsed = z.fromJSONSchema(resolved(schema ?? {}) as never).safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

export interface Answer {
  status: number;
  contentType?: string | null;
  body: unknown;
}

/**
 * What is wrong with an answer of `METHOD template` according to the document: an undocumented status, a content type
 * it does not list, a body its schema refuses, or a problem `type` none of that status's examples has.
 */
export function undocumented(method: string, template: string, answer: Answer): string[] {
  const where = `${method} ${template} → ${answer.status}`;
  const response = operation(method, template).responses[String(answer.status)];
  if (!response) return [`${where}: status not documented (${JSON.stringify(answer.body).slice(0, 200)})`];
  if (!response.content) return [];
  const type = (answer.contentType ?? '').split(';')[0]!.trim();
  const media = response.content[type];
  if (!media) return [`${where}: content type "${type}" not documented (${Object.keys(response.content).join(', ')})`];
  const errors = schemaErrors(media.schema, answer.body).map((e) => `${where}: ${e}`);
  if (media.examples) {
    const types = Object.values(media.examples).map((e) => (e.value as { type?: string }).type);
    const got = (answer.body as { type?: string }).type;
    if (!types.includes(got)) errors.push(`${where}: problem type ${got} is none of the documented ${types.join(', ')}`);
  }
  return errors;
}
