import { z } from 'zod';
import { shareable } from './shareable-schema';

/**
 * Subscription ids end up inside gateway references: Paystack allows only alphanumerics, '-', '.', '='
 * and Razorpay order receipts are at most 40 characters, so ids are short and use [A-Za-z0-9-] only.
 */
export const SUBSCRIPTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{2,25}$/;
export const SubscriptionIdSchema = shareable(z
  .string()
  // A copy: zod resets the pattern's lastIndex on every check, and the exported one is frozen in the workflow sandbox.
  .regex(new RegExp(SUBSCRIPTION_ID_PATTERN), 'must be 3-26 characters of letters, digits and "-", starting with a letter or digit'));

export const subscriptionWorkflowId = (subscriptionId: string): string => `subscription-${subscriptionId}`;

export function subscriptionIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith('subscription-') ? workflowId.slice('subscription-'.length) : undefined;
}

/** The reference of one charge attempt: stable across activity retries, worker crashes and replays. */
export const chargeReference = (subscriptionId: string, cycle: number, attempt: number): string =>
  `${subscriptionId}-c${cycle}-a${attempt}`;

/** The reference of the card-authorization charge (Paystack's minimum amount, or the first payment elsewhere). */
export const authorizationReference = (subscriptionId: string, attempt = 1): string => `${subscriptionId}-auth${attempt}`;

/** Which checkout of `subscriptionId` a reference names (`<id>-auth<n>` → n), or null when it is not one of its checkouts. */
export function authorizationAttempt(subscriptionId: string, reference: string): number | null {
  if (!reference.startsWith(`${subscriptionId}-auth`)) return null;
  const n = reference.slice(subscriptionId.length + '-auth'.length);
  return /^[1-9]\d*$/.test(n) ? Number(n) : null;
}

/** Refund idempotency key for a charge; `n` numbers the refunds of that charge (partial refunds). */
export const refundReference = (chargeRef: string, n = 1): string => `${chargeRef}-r${n}`;

/** The subscription a gateway reference belongs to, or undefined for references Chargeloop did not make. */
export function subscriptionIdFromReference(reference: string): string | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9-]{2,25})-(?:c\d+-a\d+|auth\d+)(?:-r\d+)?$/.exec(reference);
  return match?.[1];
}
