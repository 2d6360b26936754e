import { createGatewayActivities } from '../activities/gateway';
import type { GatewayConnections } from '../gateways/connections';

/** Wires the real activity implementations over their clients. */
export function createWorkerActivities(deps: { connections: GatewayConnections }): ReturnType<typeof createGatewayActivities> {
  return { ...createGatewayActivities({ connections: deps.connections }) };
}
