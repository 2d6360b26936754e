/**
 * Lets one zod schema serve every workflow of a worker.
 *
 * The worker preloads src/shared into the V8 context all workflows share (src/worker/bundle-options.ts), so each
 * cached workflow stops rebuilding every schema (~1 MiB each). The SDK deep-freezes what preloaded modules export,
 * and zod 4 cannot run frozen: it memoizes members and internals on its schema objects at first use. So inside the
 * workflow sandbox each exported schema is a proxy over a frozen stand-in with the schema's prototype (`instanceof`
 * still holds), and every read goes to the real schema, which the freeze never reaches. What zod memoizes there is
 * derived from the schema's definition alone, the same in every workflow: no workflow can observe another.
 * Outside the sandbox (API, activities, tests) the schema itself is returned: nothing is frozen there.
 */
export function shareable<T extends object>(schema: T): T {
  if (!('__TEMPORAL__' in globalThis)) return schema;
  const standIn = Object.create(Object.getPrototypeOf(schema) as object | null) as T;
  return new Proxy(standIn, {
    get: (_, key) => Reflect.get(schema, key, schema) as unknown,
    has: (_, key) => Reflect.has(schema, key),
  });
}
