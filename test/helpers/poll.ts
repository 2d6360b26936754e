/**
 * Re-runs `fn` until `done` holds or `timeoutMs` passes, and returns the last value either way. Bounded, and only
 * for what settles asynchronously in wall time (visibility, the sandbox's background webhooks); business time is
 * skipped on the servers, never waited for this way.
 */
export async function poll<T>(fn: () => T | Promise<T>, done: (value: T) => boolean, { timeoutMs = 6_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await fn();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await fn();
  }
  return value;
}
