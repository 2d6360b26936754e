import { CancellationScope, condition, isCancellation, log } from '@temporalio/workflow';
import { confirmedNotifier, notifier } from './activity-proxies';
import type { MerchantEvent } from '../shared/merchant-events';
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
      await scope.run(() => proxy.notifyMerchant.executeWithOptions({ summary: deliverySummary(event) }, [event]));
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

/**
 * The delivery's line in the Temporal UI timeline. A charge activity's summary is written before its outcome is known
 * (and shows green whatever the gateway said), so the delivery that follows says what happened: the reference and
 * the reason of a decline or failure. Summaries are metadata, not commands: older histories replay with theirs.
 */
export function deliverySummary(event: Pick<MerchantEvent, 'type' | 'sequence' | 'subscriptionId' | 'data'>): string {
  const { reason } = event.data;
  // The subscription is the workflow's own id: `c2-a1`, not `<id>-c2-a1`.
  const reference = event.data.reference?.startsWith(`${event.subscriptionId}-`) ? event.data.reference.slice(event.subscriptionId.length + 1) : event.data.reference;
  const what = [reference, reason].filter((x): x is string => typeof x === 'string' && x.length > 0).join(': ');
  const line = `notify ${event.type} #${event.sequence}${what ? ` (${what})` : ''}`;
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
