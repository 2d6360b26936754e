import { condition, currentUpdateInfo, log, setHandler } from '@temporalio/workflow';
import { GatewayEventSchema, type GatewayEvent } from '../shared/gateway-events';
import { checkoutUpdate, gatewayEventSignal, gatewayEventSignals, stateQuery } from '../shared/messages';
import type { SubscriptionView } from '../shared/state';
import type { Run } from './run';
import { isTerminal } from './state-machine';
import { refuseIf, UPDATES, type UpdateSpec } from './updates';
import { buildView } from './view';

/** Before 0.3.0, cancel and pause waited for the loop to be parked with nothing in flight. */
async function untilLoopParked<T>({ sub, co }: Run, then: () => T | Promise<T>): Promise<T> {
  await condition(() => isTerminal(sub.s.status) || (co.parked && sub.attempt === null && !sub.hasWork()));
  return then();
}

/**
 * Installs one operation from its spec. An update id already applied (a retry of the same Idempotency-Key, even after
 * continue-as-new) answers the current view and changes nothing.
 */
function install<Req>(run: Run, spec: UpdateSpec<Req>): void {
  const { sub, co, f } = run;
  const alreadyApplied = (): boolean => {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && sub.hasApplied(id);
  };
  // Synchronous where the operation is: a handler that completes in the same tick keeps the order of commands that
  // pre-0.3.0 histories recorded (the update completes before the merchant event it queued is sent).
  const applyNow = (req: Req): SubscriptionView | Promise<SubscriptionView> => {
    refuseIf(spec.refusal(run, req));
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) sub.applied(id, spec.def.name);
    const applying = spec.apply(run, req);
    return applying instanceof Promise ? applying.then(() => buildView(sub)) : buildView(sub);
  };
  const handler = (raw?: unknown): SubscriptionView | Promise<SubscriptionView> => {
    if (alreadyApplied()) return buildView(sub);
    const req = spec.parse(raw);
    if (!spec.locked(req)) return applyNow(req);
    // Webhooks that arrived first are applied first (a checkout paid, then a cancel), then the lock is taken.
    if (f.moneyLock) return condition(() => !sub.hasWork() || isTerminal(sub.s.status)).then(() => co.money.run(() => applyNow(req)));
    return untilLoopParked(run, () => applyNow(req));
  };
  const validator = (raw?: unknown): void => {
    if (!alreadyApplied()) refuseIf(spec.refusal(run, spec.parse(raw)));
  };
  // Each spec pairs a definition with its own argument type; setHandler cannot see that through the union.
  setHandler(spec.def as never, handler as never, { validator: validator as never });
}

/** Registers the query, the webhook signal, the checkout wait and every operation in UPDATES. */
export function installHandlers(run: Run): void {
  const { sub, co } = run;
  setHandler(stateQuery, () => buildView(sub));

  // No validator: waiting is always allowed; after a continue-as-new (long after any create) it answers the current view.
  setHandler(checkoutUpdate, async () => {
    await condition(() => co.checkoutView !== null || sub.s.status !== 'incomplete');
    return co.checkoutView ?? buildView(sub);
  });

  const onGatewayEvent = (named: GatewayEvent['type'] | null) => (raw: GatewayEvent): void => {
    const parsed = GatewayEventSchema.safeParse(raw);
    if (!parsed.success) return log.warn('malformed gateway event ignored', { error: parsed.error.message });
    // A named signal whose payload is another type would make the timeline lie about what arrived.
    if (named !== null && parsed.data.type !== named) return log.warn('gateway event under another type\'s signal ignored', { signal: named, type: parsed.data.type });
    if (!sub.acceptEvent(parsed.data)) log.info('duplicate gateway event ignored', { eventId: parsed.data.eventId });
  };
  setHandler(gatewayEventSignal, onGatewayEvent(null));
  // Registering handlers changes no history: older runs never received these names, so they replay as before.
  for (const [type, signal] of Object.entries(gatewayEventSignals)) setHandler(signal, onGatewayEvent(type as GatewayEvent['type']));

  for (const spec of UPDATES) install(run, spec as UpdateSpec<unknown>);
}
