import type { GatewayConnections } from '../../gateways/connections';
import type { SubscriptionsFacade } from '../../temporal/subscriptions';

/** What the subscription routes need: the Temporal facade and the configured gateway connections. */
export interface SubscriptionRoutesDeps {
  /** Every Temporal call goes through it (src/temporal/subscriptions.ts). */
  subscriptions: SubscriptionsFacade;
  /** The gateway accounts; their rules (src/gateways/rules.ts) are checked before Temporal is called. */
  connections: GatewayConnections;
  /** How long a create waits for the workflow to open the checkout. */
  checkoutWaitMs: number;
  now: () => Date;
}
