import { createHash } from 'node:crypto';
import type { Gateway } from '../shared/gateway-policy';

/**
 * The key a stored card is found by when the gateway reports it revoked (Razorpay `token.*` webhooks name only the
 * token, no Chargeloop reference). A digest of the gateway and token, so the token itself stays in workflow state and
 * never reaches visibility (search attributes are stored in clear, unlike payloads under the codec). The webhook
 * route computes it from the signed event's token; the gateway wire puts it on the StoredCard it builds.
 */
export function cardLookupKey(gateway: Gateway, token: string): string {
  return createHash('sha256').update(`chargeloop-card:${gateway}:${token}`).digest('hex').slice(0, 40);
}
