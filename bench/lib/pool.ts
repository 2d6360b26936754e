/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; resolves with the results in order.
 * The first failure rejects (and stops new tasks), so a broken stack fails the bench instead of hanging it.
 */
export async function runPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  let failed: Error | undefined;
  const lane = async (): Promise<void> => {
    while (failed === undefined && next < count) {
      const i = next++;
      try {
        results[i] = await task(i);
      } catch (err) {
        failed ??= err instanceof Error ? err : new Error(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  if (failed !== undefined) throw failed;
  return results;
}
