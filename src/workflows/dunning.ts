import type { GatewayPolicy } from '../shared/gateway-policy';

/**
 * Dunning after a declined renewal, read from the gateway policy table. `attemptsMade` counts the first attempt,
 * so Flutterwave and Razorpay allow 4 attempts in all and Paystack 1.
 */
export function maxAttempts(policy: GatewayPolicy): number {
  return 1 + policy.automaticRetries.count;
}

export function automaticRetriesRemaining(policy: GatewayPolicy, attemptsMade: number): number {
  return Math.max(0, maxAttempts(policy) - attemptsMade);
}

/**
 * When the next automatic attempt runs, or null when retries are exhausted. Spacing is counted from the last
 * attempt, so a Razorpay "retry now" shifts the remaining schedule instead of adding attempts.
 */
export function nextRetryAt(policy: GatewayPolicy, attemptsMade: number, lastAttemptAtMs: number): number | null {
  return automaticRetriesRemaining(policy, attemptsMade) > 0 ? lastAttemptAtMs + policy.automaticRetries.spacingMs : null;
}
