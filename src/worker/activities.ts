import type { Config } from '../config';

/** Wires the real activity implementations over their clients. Grows as gateway and notification activities land. */
export function createWorkerActivities(_config: Config): Record<string, (...args: never[]) => Promise<unknown>> {
  return {};
}
