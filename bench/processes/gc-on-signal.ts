/**
 * SIGUSR2 runs a full GC (the process is started with --expose-gc), so the memory scenario reads resident memory
 * after garbage is collected rather than wherever the collector happened to be. Must be installed at start-up:
 * an unhandled SIGUSR2 would end the process.
 */
export function gcOnSignal(): void {
  process.on('SIGUSR2', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
  });
}
