/** Progress lines on stderr, so stdout stays the results table. */
export function progress(scenario: string, message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${scenario}: ${message}\n`);
}

/** Calls `report` every `everyMs` until the returned stop function is called. */
export function every(everyMs: number, report: () => void | Promise<void>): () => void {
  const timer = setInterval(() => void report(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
