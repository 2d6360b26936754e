/** Error `type`s the subscription workflow fails with (ApplicationFailure.type), for the API and operators. */
export const SubscriptionErrors = {
  /** The input does not match SubscriptionInputSchema. */
  InvalidInput: 'InvalidSubscriptionInput',
  /** The gateway cannot run this plan (e.g. Paystack intervalCount 2); the message says why. */
  PlanNotSupported: 'PlanNotSupportedByGateway',
  /** A refund update passed validation but the gateway refused or failed it. */
  RefundFailed: 'RefundFailed',
  /** The gateway could not open a checkout (card update) after its retries; nothing was charged. */
  CheckoutUnavailable: 'CheckoutUnavailable',
} as const;
