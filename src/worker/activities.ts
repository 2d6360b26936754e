import { createGatewayActivities } from '../activities/gateway';
import { createNotifyActivities, type MerchantEndpoint } from '../activities/notify';
import type { SubscriptionActivities } from '../activities/types';
import type { GatewayConnections } from '../gateways/connections';

/** Wires the real activity implementations over their clients: every activity the subscription workflow calls. */
export function createWorkerActivities(deps: { connections: GatewayConnections; merchantEndpoint?: MerchantEndpoint }): SubscriptionActivities {
  return {
    ...createGatewayActivities({ connections: deps.connections }),
    // No endpoint: events are recorded in history and skipped (logged), never failed.
    ...createNotifyActivities({ endpoint: deps.merchantEndpoint }),
  };
}
