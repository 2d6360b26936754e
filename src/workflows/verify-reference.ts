import type { ChargeOutcome } from '../shared/gateway-port';
import { verifier } from './activity-proxies';
import type { Run } from './run';

/**
 * Asks the gateway what became of `reference` on this subscription's connection: the one verify call behind every
 * check (an unknown charge outcome, a webhook that needs confirming, a checkout before expiry, an unsettled charge).
 * `summary` names why, in the Temporal UI and in the history.
 */
export function verifyReference(run: Run, reference: string, summary: string, gatewayTransactionId?: string): Promise<ChargeOutcome> {
  const input = run.sub.s.input;
  return verifier.verifyCharge.executeWithOptions({ summary }, [
    { gateway: input.gateway, connectionId: input.gatewayConnectionId, reference, ...(gatewayTransactionId !== undefined ? { gatewayTransactionId } : {}) },
  ]);
}
