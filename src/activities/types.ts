import type {
  ChargeCardInput,
  ChargeOutcome,
  InitializeAuthorizationInput,
  InitializeAuthorizationResult,
  RefundInput,
  RefundOutcome,
  VerifyChargeInput,
} from '../shared/gateway-port';
import type { MerchantDelivery, MerchantEvent } from '../shared/merchant-events';

/**
 * Every activity the subscription workflow calls. The workflow proxies this interface by type only;
 * the worker wires the real implementations (createActivities) and tests pass fakes of the same shape.
 */
export interface SubscriptionActivities {
  /** Open a checkout for the authorization payment; returns the URL the customer must visit. */
  initializeAuthorization(input: InitializeAuthorizationInput): Promise<InitializeAuthorizationResult>;
  /** Charge a stored card once. Declines resolve to `{ status: 'declined' }`; transient errors throw and retry. */
  chargeCard(input: ChargeCardInput): Promise<ChargeOutcome>;
  /** Ask the gateway what happened to a reference (after a timeout, or to confirm an unsigned webhook). */
  verifyCharge(input: VerifyChargeInput): Promise<ChargeOutcome>;
  /** Refund (part of) a charge under a deterministic idempotency reference. */
  refundCharge(input: RefundInput): Promise<RefundOutcome>;
  /** Deliver one event to the merchant's backend (signed; retried by Temporal); the result records the delivery in history. */
  notifyMerchant(event: MerchantEvent): Promise<MerchantDelivery>;
}
