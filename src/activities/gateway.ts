import { ApplicationFailure } from '@temporalio/common';
import { GatewayErrors, type ConnectionRef } from '../shared/gateway-port';
import { createGatewayClient, type GatewayClient } from '../gateways/client';
import { currenciesOf, type GatewayConnection, type GatewayConnections } from '../gateways/connections';
import type { FetchLike } from '../gateways/http';
import type { Currency } from '../shared/money';
import type { SubscriptionActivities } from './types';
import { withVirtualTime } from './virtual-time';

export interface GatewayActivityDeps {
  connections: GatewayConnections;
  /** Injected so tests can observe or fail requests; defaults to the global fetch. */
  fetch?: FetchLike;
}

export type GatewayActivities = Pick<SubscriptionActivities, 'initializeAuthorization' | 'chargeCard' | 'verifyCharge' | 'refundCharge'>;

/** The gateway half of SubscriptionActivities, over injected connections (the worker wires the real ones). */
export function createGatewayActivities(deps: GatewayActivityDeps): GatewayActivities {
  const fetchFn = deps.fetch ?? ((...args: Parameters<FetchLike>) => fetch(...args));

  function connectionFor(ref: ConnectionRef): GatewayConnection {
    const connection = deps.connections.get(ref.connectionId);
    if (!connection) throw ApplicationFailure.nonRetryable(`no gateway connection "${ref.connectionId}"`, GatewayErrors.UnknownConnection);
    if (connection.gateway !== ref.gateway) {
      throw ApplicationFailure.nonRetryable(`connection "${ref.connectionId}" is ${connection.gateway}, not ${ref.gateway}`, GatewayErrors.Rejected);
    }
    return connection;
  }

  function clientFor(ref: ConnectionRef, currency?: Currency): GatewayClient {
    const connection = connectionFor(ref);
    if (currency && !currenciesOf(connection).includes(currency)) {
      throw ApplicationFailure.nonRetryable(`connection "${connection.id}" does not bill in ${currency}`, GatewayErrors.Rejected);
    }
    return createGatewayClient(connection, withVirtualTime(connection, fetchFn));
  }

  return {
    /** Open the hosted checkout for the authorization payment. */
    initializeAuthorization: async (input) => clientFor(input, input.amount.currency).initializeAuthorization(input),
    /** Charge the stored card under the caller's deterministic reference. */
    chargeCard: async (input) => clientFor(input, input.amount.currency).chargeCard(input),
    /** Ask the gateway what happened to a reference. */
    verifyCharge: async (input) => clientFor(input).verifyCharge(input),
    /** Refund (part of) a charge; refused for good where the connection has refunds disabled. */
    refundCharge: async (input) => {
      const connection = connectionFor(input);
      if (!connection.flags.refundsEnabled) {
        throw ApplicationFailure.nonRetryable(
          `refunds are disabled on connection "${connection.id}" (${connection.gateway}); enable flags.refundsEnabled once the gateway allows them`,
          GatewayErrors.RefundsDisabled,
        );
      }
      return createGatewayClient(connection, withVirtualTime(connection, fetchFn)).refund(input);
    },
  };
}
