import { condition, log } from '@temporalio/workflow';
import { notifier } from './activity-proxies';
import type { SubscriptionState } from './subscription-state';

/**
 * Sends queued merchant events one at a time, in sequence order, beside the billing loop: a merchant endpoint
 * that is down for a weekend delays its events (Temporal retries them) but never a charge. Events are queued
 * synchronously by state changes, even inside update handlers, and what is unsent travels through continue-as-new.
 */
export async function runOutbox(sub: SubscriptionState): Promise<void> {
  for (;;) {
    await condition(() => sub.s.outbox.length > 0 && !sub.outboxHeld);
    const event = sub.s.outbox[0]!;
    sub.sending = true;
    try {
      await notifier.notifyMerchant.executeWithOptions({ summary: `notify ${event.type} #${event.sequence}` }, [event]);
    } catch (err) {
      // Retries are exhausted (days): give up on this one rather than block every later event forever.
      log.error('merchant event not delivered', { eventId: event.id, type: event.type, error: String(err) });
    } finally {
      sub.sending = false;
    }
    sub.s.outbox.shift();
  }
}

/** Stops new sends and waits for the one in flight, so the rest can be carried through continue-as-new. */
export async function holdOutbox(sub: SubscriptionState): Promise<void> {
  sub.outboxHeld = true;
  await condition(() => !sub.sending);
}

export function releaseOutbox(sub: SubscriptionState): void {
  sub.outboxHeld = false;
}

/** Waits until every queued event is sent and `andAlso()` holds (before the workflow completes). */
export async function drainOutbox(sub: SubscriptionState, andAlso: () => boolean): Promise<void> {
  releaseOutbox(sub);
  await condition(() => sub.s.outbox.length === 0 && !sub.sending && andAlso());
}
