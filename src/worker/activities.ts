import type { Config } from '../config';
import { createNotifyActivities } from '../activities/notify';

/** Wires the real activity implementations over their clients. Gateway activities join here at integration. */
export function createWorkerActivities(config: Config): Record<string, (...args: never[]) => Promise<unknown>> {
  const endpoint =
    config.MERCHANT_WEBHOOK_URL && config.MERCHANT_WEBHOOK_SECRET ? { url: config.MERCHANT_WEBHOOK_URL, secret: config.MERCHANT_WEBHOOK_SECRET } : undefined;
  return { ...createNotifyActivities({ endpoint }) };
}
