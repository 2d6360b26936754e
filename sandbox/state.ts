import type { Gateway } from '../src/shared/gateway-policy';
import type { Outcome, TestCard } from './cards';

/** A card stored after a successful checkout: Paystack authorization_code, Flutterwave token, Razorpay token_id. */
export interface StoredCardRecord {
  token: string;
  gateway: Gateway;
  connectionId: string;
  email: string;
  customerId?: string;
  card: TestCard;
}

export interface CheckoutSession {
  id: string;
  gateway: Gateway;
  connectionId: string;
  reference: string;
  /** Minor units. */
  amount: number;
  currency: string;
  email: string;
  status: 'open' | 'paid';
  /** The card waiting for its OTP. */
  otpCard?: TestCard;
  /** Applies the card's checkout outcome in the gateway's books; returns where to send the customer, if anywhere. */
  pay(card: TestCard, outcome: Outcome): { redirectTo?: string };
}

/** In-memory books shared by the three fake gateways; lost on restart, as a sandbox should be. */
export class SandboxState {
  readonly sessions = new Map<string, CheckoutSession>();
  readonly cards = new Map<string, StoredCardRecord>();
  /** Outcomes a test queued for a stored card's next charges (POST /__sandbox/cards/:token/next-outcome). */
  private readonly forced = new Map<string, Outcome[]>();

  forceNext(token: string, outcome: Outcome): void {
    this.forced.set(token, [...(this.forced.get(token) ?? []), outcome]);
  }

  /** The outcome of charging a stored card now: a forced one first, else the test card's renewal behaviour. */
  nextOutcome(record: StoredCardRecord): Outcome {
    const queue = this.forced.get(record.token);
    const forced = queue?.shift();
    return forced ?? record.card.renewals;
  }
}
