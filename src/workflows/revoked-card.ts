import type { Run } from './run';

/**
 * The stored card was revoked at the gateway (0.4.0): the attempt is not sent, so nothing can have been charged. It is
 * recorded as failed with the reason, and the subscription goes unpaid at once (no automatic retry can succeed on a
 * revoked card) until the customer gives a new card or the merchant cancels.
 */
export function refuseRevokedCard(run: Run): void {
  const { sub } = run;
  const a = sub.closeAttempt();
  const reason = `not sent: ${sub.s.cardRevoked!.reason}; a new card is needed`;
  const record = { cycle: a.cycle, attempt: a.attempt, reference: a.reference, kind: a.kind, amount: a.amount, outcome: 'declined' as const, reason, at: new Date(sub.now()).toISOString() };
  sub.chargeDeclined(record, Date.parse(a.startedAt), { retry: false });
}
