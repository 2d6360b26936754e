import { CancellationScope, condition, isCancellation, log } from '@temporalio/workflow';
import { confirmedNotifier, notifier } from './activity-proxies';
import type { Run } from './run';

/**
 * Sends queued merchant events one at a time, in sequence order, beside the billing loop: a merchant endpoint
 * that is down for a weekend delays its events (Temporal retries them) but never a charge. Events are queued
 * synchronously by state changes, even inside update handlers, and what is unsent travels through continue-as-new
 * (the event in flight too: the next run sends it again under the same id).
 */
export async function runOutbox(run: Run): Promise<void> {
  const { sub, co } = run;
  for (;;) {
    await condition(() => sub.s.outbox.length > 0 && !co.outboxHeld);
    const event = sub.s.outbox[0]!;
    co.sending = true;
    const scope = new CancellationScope();
    let abandoned = false;
    co.abandonSend = () => {
      abandoned = true;
      scope.cancel();
    };
    const proxy = run.f.abandonedDeliveryConfirmed ? confirmedNotifier : notifier;
    try {
      await scope.run(() => proxy.notifyMerchant.executeWithOptions({ summary: `notify ${event.type} #${event.sequence}` }, [event]));
    } catch (err) {
      // Since 0.4.0 an abandoned delivery keeps its event however the attempt in flight ended (cancelled, or failed
      // after the cancel was requested): the next run sends it again. Before, only a cancellation did.
      if (isCancellation(err) || (abandoned && run.f.abandonedDeliveryConfirmed)) {
        // Abandoned for continue-as-new (the endpoint is down): the event stays first in the carried outbox.
        co.sending = false;
        co.abandonSend = null;
        continue;
      }
      // Retries are exhausted (days): give up on this one rather than block every later event forever.
      log.error('merchant event not delivered', { eventId: event.id, type: event.type, error: String(err) });
    } finally {
      co.sending = false;
      co.abandonSend = null;
    }
    sub.eventSent(event.id);
  }
}

/** Before 0.3.0: stop new sends and wait for the one in flight before continuing as new. */
export async function holdOutbox(run: Run): Promise<void> {
  run.co.outboxHeld = true;
  await condition(() => !run.co.sending);
}

export function releaseOutbox(run: Run): void {
  run.co.outboxHeld = false;
}

/** Waits until every queued event is sent and `andAlso()` holds (before the workflow completes). */
export async function drainOutbox(run: Run, andAlso: () => boolean): Promise<void> {
  releaseOutbox(run);
  await condition(() => run.sub.s.outbox.length === 0 && !run.co.sending && andAlso());
}
