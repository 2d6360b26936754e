import { progress } from './progress';

/** Retries a read that can fail under load (queries time out while the worker is saturated), `attempts` times. */
export async function retrying<T>(attempts: number, read: () => Promise<T>): Promise<T> {
  for (let k = 1; ; k++) {
    try {
      return await read();
    } catch (err) {
      if (k >= attempts) throw err;
      await sleep(500 * k);
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns true, reporting progress; fails after `timeoutMs`. Every wait in the bench is
 * bounded, so a stuck stack ends the run with an error instead of hanging it.
 */
export async function pollUntil(what: string, scenario: string, timeoutMs: number, probe: () => Promise<{ done: boolean; note: string }>, intervalMs = 500): Promise<void> {
  const until = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const { done, note } = await probe();
    if (done) return;
    if (Date.now() - lastReport > 3000) {
      progress(scenario, `${what}: ${note}`);
      lastReport = Date.now();
    }
    if (Date.now() > until) throw new Error(`${scenario}: timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what} (${note})`);
    await sleep(intervalMs);
  }
}
