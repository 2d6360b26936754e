import { log } from '@temporalio/workflow';
import { notifier } from './activity-proxies';
import type { SubscriptionState } from './subscription-state';

/**
 * Sends queued merchant events in sequence order. Events are queued synchronously by state changes (even inside
 * update handlers) and carried through continue-as-new, so each is sent once and in order.
 */
export async function flushOutbox(sub: SubscriptionState): Promise<void> {
  while (sub.s.outbox.length > 0) {
    const event = sub.s.outbox[0]!;
    try {
      await notifier.notifyMerchant.executeWithOptions({ summary: `notify ${event.type} #${event.sequence}` }, [event]);
    } catch (err) {
      // Delivery is bounded so a dead merchant endpoint cannot stall billing; the event stays in history.
      log.warn('merchant event not delivered', { eventId: event.id, type: event.type, error: String(err) });
    }
    sub.s.outbox.shift();
  }
}
