import { z } from 'zod';
import type { Gateway } from '../shared/gateway-policy';

/**
 * How many charges per second one gateway connection may send, counted across every worker: the server enforces it
 * on the connection's charge queue (src/worker/subscription-workers.ts). Only charges are limited, because that is
 * what a gateway limits per account on a renewal storm; checkouts, verifies, refunds and merchant events are not.
 */
export const ChargesPerSecondSchema = z.number().positive('must be above 0').max(1000, 'must be at most 1000');

/**
 * Defaults when a connection sets none (shared/reference/gateways.md, 1.8, 2.8, 3.8):
 * - Paystack publishes 1,200 `charge_authorization` per 60 s for live keys (beta docs): 20/s. Test keys share
 *   100 requests per 60 s across every endpoint, so a test-mode connection to the real Paystack should set ~1.
 * - Flutterwave and Razorpay publish no numbers (429 plus backoff only): 10/s, a conservative guess to tune.
 */
export const DEFAULT_CHARGES_PER_SECOND: Readonly<Record<Gateway, number>> = { paystack: 20, flutterwave: 10, razorpay: 10 };

export interface ChargeRate {
  connectionId: string;
  perSecond: number;
}

/** The charge rate of every configured connection: its own `chargesPerSecond`, or its gateway's default. */
export function chargeRates(connections: ReadonlyMap<string, { gateway: Gateway; chargesPerSecond?: number }>): ChargeRate[] {
  return [...connections].map(([connectionId, c]) => ({ connectionId, perSecond: c.chargesPerSecond ?? DEFAULT_CHARGES_PER_SECOND[c.gateway] }));
}

/**
 * The share of a connection's `chargesPerSecond` given to the server as the charge queue's rate. The server's token
 * bucket starts full with one second of tokens (burst = ceil(rate)), so a 60 s window (Paystack's) can see 61 s
 * worth, and in the bench its dispatch ran ~0.6% above the configured rate. 97.5% leaves every 60 s window within
 * chargesPerSecond x 60 (58.5 s of tokens plus a 1 s burst) and a storm still reaches >= 0.97 of the limit.
 */
export const SERVER_RATE_SHARE = 0.975;

/** The rate the charge queue's pollers give the server for a connection allowing `perSecond`. */
export const serverRatePerSecond = (perSecond: number): number => perSecond * SERVER_RATE_SHARE;
