import type { z } from 'zod';

/** One invalid field, named by its JSON path (e.g. `plan.intervalCount`). */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem. Throw it from a route; the error middleware renders it as application/problem+json. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly type = `https://chargeloop.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
  ) {
    super(detail);
  }

  toJSON(instance?: string): Record<string, unknown> {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const fieldErrorsFromZod = (error: z.ZodError, prefix: string[] = []): FieldError[] =>
  error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    // zod reports unknown keys on the parent object; name each key so the client sees which field to drop.
    if (issue.code === 'unrecognized_keys') {
      return { field: [...path, issue.keys.join(',')].filter(Boolean).join('.'), message: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` };
    }
    return { field: path.join('.') || '(body)', message: issue.message };
  });

export const validationProblem = (errors: FieldError[], detail = 'The request has invalid fields.'): Problem =>
  new Problem(422, 'Validation failed', detail, errors);

/** Parses with a zod schema or throws a 422 naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix: string[] = []): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(fieldErrorsFromZod(parsed.error, prefix));
  return parsed.data;
}

export const serviceUnavailable = (detail: string): Problem => new Problem(503, 'Service unavailable', detail);
