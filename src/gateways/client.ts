import type {
  ChargeCardInput,
  ChargeOutcome,
  InitializeAuthorizationInput,
  InitializeAuthorizationResult,
  RefundInput,
  RefundOutcome,
  VerifyChargeInput,
} from '../shared/gateway-port';
import type { GatewayConnection } from './connections';
import { FlutterwaveClient } from './flutterwave/client';
import type { FetchLike } from './http';
import { PaystackClient } from './paystack/client';
import { RazorpayClient } from './razorpay/client';

/** What every gateway client does (the gateway port); the activities and the credentials check speak only this. */
export interface GatewayClient {
  initializeAuthorization(input: InitializeAuthorizationInput): Promise<InitializeAuthorizationResult>;
  chargeCard(input: ChargeCardInput): Promise<ChargeOutcome>;
  verifyCharge(input: VerifyChargeInput): Promise<ChargeOutcome>;
  refund(input: RefundInput): Promise<RefundOutcome>;
  /** A cheap authenticated GET: resolves when the keys work, throws with a reason (never a key) otherwise. */
  checkCredentials(): Promise<void>;
}

export function createGatewayClient(connection: GatewayConnection, fetchFn: FetchLike = fetch): GatewayClient {
  switch (connection.gateway) {
    case 'paystack':
      return new PaystackClient(connection, fetchFn);
    case 'flutterwave':
      return new FlutterwaveClient(connection, fetchFn);
    case 'razorpay':
      return new RazorpayClient(connection, fetchFn);
  }
}
