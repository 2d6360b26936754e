/**
 * What the Temporal layer reports to the API in domain terms; the error middleware maps each to its status.
 * Messages are written for the caller (the workflow's refusal reason, which never holds a secret).
 */
export class SubscriptionNotFoundError extends Error {
  override readonly name = 'SubscriptionNotFoundError';
  constructor(readonly subscriptionId: string) {
    super(`No subscription "${subscriptionId}".`);
  }
}

/** The workflow refused the operation (validator or handler threw UPDATE_REFUSED), or the subscription is closed. */
export class SubscriptionRefusedError extends Error {
  override readonly name = 'SubscriptionRefusedError';
}

/** A subscription with this id exists and the request's Idempotency-Key did not create it. */
export class SubscriptionExistsError extends Error {
  override readonly name = 'SubscriptionExistsError';
}

/** The Idempotency-Key was already used with a different request. */
export class IdempotencyMismatchError extends Error {
  override readonly name = 'IdempotencyMismatchError';
}

/** The operation was accepted but failed inside the workflow (e.g. the gateway refused a refund). */
export class OperationFailedError extends Error {
  override readonly name = 'OperationFailedError';
}
