import { createGatewayActivities } from '../activities/gateway';
import { createNotifyActivities, type MerchantEndpoint } from '../activities/notify';
import type { SubscriptionActivities } from '../activities/types';
import type { Config } from '../config';
import type { GatewayConnections } from '../gateways/connections';

/** Wires the real activity implementations over their clients: every activity the subscription workflow calls. */
export function createWorkerActivities(deps: { connections: GatewayConnections; merchantEndpoint?: MerchantEndpoint }): SubscriptionActivities {
  return {
    ...createGatewayActivities({ connections: deps.connections }),
    // No endpoint: events are recorded in history and skipped (logged), never failed.
    ...createNotifyActivities({ endpoint: deps.merchantEndpoint }),
  };
}

/** The merchant's endpoint as configured: both variables set (config.ts requires the secret with the URL), or none. */
export function merchantEndpointOf(config: Pick<Config, 'MERCHANT_WEBHOOK_URL' | 'MERCHANT_WEBHOOK_SECRET'>): MerchantEndpoint | undefined {
  return config.MERCHANT_WEBHOOK_URL && config.MERCHANT_WEBHOOK_SECRET ? { url: config.MERCHANT_WEBHOOK_URL, secret: config.MERCHANT_WEBHOOK_SECRET } : undefined;
}
