import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { GatewayEvent } from '../../../src/shared/gateway-events';
import { GatewayErrors, type ChargeCardInput, type ChargeOutcome, type RefundInput, type RefundOutcome, type StoredCard, type VerifyChargeInput } from '../../../src/shared/gateway-port';
import type { Money } from '../../../src/shared/money';
import { FakeActivities } from '../support/fake-activities';
import type { ChargeFault, Delivery, RefundFault, Scenario } from './scenario';

export interface LedgerCharge {
  reference: string;
  amount: Money;
  status: 'pending' | 'succeeded' | 'declined';
  /** When money moved (succeeded) or the charge was settled. */
  settledAt: number | null;
  settlesAt: number | null;
  final: 'succeeded' | 'declined';
  card?: StoredCard;
}
export interface LedgerRefund {
  reference: string;
  chargeReference: string;
  amount: Money;
  status: 'pending' | 'processed' | 'failed';
  settlesAt: number | null;
}
export interface Webhook {
  dueAt: number;
  event: GatewayEvent;
}

const CARD: StoredCard = { token: 'AUTH_scenario', last4: '4081', brand: 'visa', reusable: true };

/** The activity's scheduled time: the server's (time-skipped) clock when the gateway "sees" the request. */
const activityNow = (): number => Context.current().info.currentAttemptScheduledTimestampMs;

/**
 * The gateway as the workflow's activities see it, with a ledger of what actually moved money. It is the only
 * source the invariants trust: what the workflow believes is checked against it, never the other way round.
 * Faults are scripted per distinct reference, in the order the workflow first uses them.
 */
export class FakeGateway {
  readonly charges = new Map<string, LedgerCharge>();
  readonly refunds = new Map<string, LedgerRefund>();
  /** Webhooks the gateway has sent and the runner has not delivered yet. */
  readonly outbox: Webhook[] = [];
  /** When the workflow could first know a reference's final outcome (an activity answer or a webhook). */
  readonly knownAt = new Map<string, number>();
  /** Every refund the gateway refused because refunds are off on the connection. */
  readonly refusedRefunds: string[] = [];
  private readonly faultOf = new Map<string, ChargeFault>();
  private readonly callsOf = new Map<string, number>();
  private readonly firstCallAt = new Map<string, number>();
  private refundCount = 0;
  private webhookCount = 0;

  constructor(
    private readonly scenario: Scenario,
    /** Absolute ms of the scenario's origin, for outage windows. */
    private readonly origin: () => number,
  ) {}

  /** The customer pays (or fails to pay) the authorization checkout at `now`. */
  customerPays(reference: string, amount: Money, now: number, paid: boolean): void {
    const existing = this.charges.get(reference);
    if (existing?.status === 'succeeded') return;
    if (paid) {
      this.charges.set(reference, { reference, amount, status: 'succeeded', settledAt: now, settlesAt: null, final: 'succeeded', card: CARD });
      this.send(now, this.chargeEvent(reference, 'succeeded'));
    } else {
      this.send(now, { type: 'charge.failed', eventId: `evt-${reference}-declined-${now}`, gateway: this.scenario.gateway, reference, reason: 'Declined', needsVerification: false });
    }
  }

  /** Settles every pending charge and refund whose time has come; their webhooks are queued. */
  settle(now: number): void {
    for (const c of this.charges.values()) {
      if (c.status === 'pending' && c.settlesAt !== null && c.settlesAt <= now) {
        c.status = c.final;
        c.settledAt = c.settlesAt;
        this.send(c.settlesAt, this.chargeEvent(c.reference, c.final));
      }
    }
    for (const r of this.refunds.values()) {
      if (r.status === 'pending' && r.settlesAt !== null && r.settlesAt <= now) {
        r.status = 'processed';
        this.send(r.settlesAt, { type: 'refund.processed', eventId: `evt-${r.reference}`, gateway: this.scenario.gateway, reference: r.reference, chargeReference: r.chargeReference, amount: r.amount });
      }
    }
  }

  /** Webhooks due by `now`, removed from the gateway's outbox, in due order. */
  takeDue(now: number): Webhook[] {
    this.settle(now);
    const due = this.outbox.filter((w) => w.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    for (const w of due) this.outbox.splice(this.outbox.indexOf(w), 1);
    return due;
  }

  nextDueAt(): number | null {
    const times = [...this.outbox.map((w) => w.dueAt), ...[...this.charges.values()].filter((c) => c.status === 'pending').map((c) => c.settlesAt!)];
    for (const r of this.refunds.values()) if (r.status === 'pending' && r.settlesAt !== null) times.push(r.settlesAt);
    return times.length ? Math.min(...times) : null;
  }

  markKnown(reference: string, at: number): void {
    if (!this.knownAt.has(reference)) this.knownAt.set(reference, at);
  }

  merchantDown(at: number): boolean {
    const t = at - this.origin();
    return this.scenario.outages.some((o) => t >= o.fromMs && t < o.toMs);
  }

  private send(at: number, event: GatewayEvent): void {
    const plan: Delivery = this.scenario.deliveries[this.webhookCount++ % Math.max(1, this.scenario.deliveries.length)] ?? { delayMs: 0, copies: 1 };
    for (let i = 0; i < plan.copies; i++) this.outbox.push({ dueAt: at + plan.delayMs + i * 60_000, event });
  }

  private chargeEvent(reference: string, status: 'succeeded' | 'declined'): GatewayEvent {
    const c = this.charges.get(reference)!;
    // Flutterwave's verif-hash does not sign the body: its events are confirmed through the verify API.
    const needsVerification = this.scenario.gateway === 'flutterwave';
    return status === 'succeeded'
      ? { type: 'charge.succeeded', eventId: `evt-${reference}-ok`, gateway: this.scenario.gateway, reference, gatewayTransactionId: `tx-${reference}`, amount: c.amount, paidAt: new Date(c.settledAt ?? 0).toISOString(), card: c.card ?? CARD, needsVerification }
      : { type: 'charge.failed', eventId: `evt-${reference}-failed`, gateway: this.scenario.gateway, reference, reason: 'Declined', needsVerification };
  }

  private outcome(reference: string): ChargeOutcome {
    const c = this.charges.get(reference);
    if (!c) return { status: 'not_found', reference };
    if (c.status === 'pending') return { status: 'pending', reference };
    if (c.status === 'declined') return { status: 'declined', reference, reason: 'Declined' };
    return { status: 'succeeded', reference, gatewayTransactionId: `tx-${reference}`, amount: c.amount, paidAt: new Date(c.settledAt!).toISOString(), card: c.card ?? CARD };
  }

  private answered(outcome: ChargeOutcome, now: number): ChargeOutcome {
    if (outcome.status === 'succeeded' || outcome.status === 'declined') this.markKnown(outcome.reference, now);
    return outcome;
  }

  charge(input: ChargeCardInput): ChargeOutcome {
    const now = activityNow();
    this.settle(now);
    const ref = input.reference;
    if (!this.faultOf.has(ref)) {
      const faults = this.scenario.charges;
      this.faultOf.set(ref, faults.length ? faults[this.faultOf.size % faults.length]! : { kind: 'succeeds' });
      this.firstCallAt.set(ref, now);
    }
    const fault = this.faultOf.get(ref)!;
    const calls = (this.callsOf.get(ref) ?? 0) + 1;
    this.callsOf.set(ref, calls);
    // A reference the gateway already knows is answered as it stands: the gateway is idempotent by reference.
    if (this.charges.has(ref)) {
      if (fault.kind === 'timeoutAfterCharge') throw new Error(`timeout: no answer for ${ref}`);
      if (fault.kind === 'lateSuccess' && this.charges.get(ref)!.status === 'pending') throw new Error(`timeout: no answer for ${ref}`);
      return this.answered(this.outcome(ref), now);
    }
    const record = (status: LedgerCharge['status'], final: LedgerCharge['final'], settlesAt: number | null): void => {
      this.charges.set(ref, { reference: ref, amount: input.amount, status, settledAt: status === 'pending' ? null : now, settlesAt, final, card: input.card });
      if (status !== 'pending') this.send(now, this.chargeEvent(ref, status));
    };
    switch (fault.kind) {
      case 'succeeds':
        record('succeeded', 'succeeded', null);
        break;
      case 'declines':
        record('declined', 'declined', null);
        break;
      case 'pending':
        record('pending', fault.final, now + fault.settleMs);
        break;
      case 'gateway5xx':
        if (calls <= fault.failures) throw new Error(`gateway answered 502 for ${ref}`);
        record('succeeded', 'succeeded', null);
        break;
      case 'timeoutAfterCharge':
        record('succeeded', 'succeeded', null);
        throw new Error(`timeout: no answer for ${ref}`);
      case 'lateSuccess':
        // Nothing recorded yet: the payment appears only once the lag is over (see verify and settleLate).
        this.charges.set(ref, { reference: ref, amount: input.amount, status: 'pending', settledAt: null, settlesAt: this.firstCallAt.get(ref)! + fault.lagMs, final: 'succeeded', card: input.card });
        throw new Error(`timeout: no answer for ${ref}`);
    }
    return this.answered(this.outcome(ref), now);
  }

  verify(input: VerifyChargeInput): ChargeOutcome {
    const now = activityNow();
    this.settle(now);
    const c = this.charges.get(input.reference);
    // A late success is invisible (not_found) until it happens: the gateway's records lag its processing.
    if (c && c.status === 'pending' && this.faultOf.get(input.reference)?.kind === 'lateSuccess') return { status: 'not_found', reference: input.reference };
    return this.answered(this.outcome(input.reference), now);
  }

  refund(input: RefundInput): RefundOutcome {
    const now = activityNow();
    this.settle(now);
    if (this.scenario.gateway === 'flutterwave' && !this.scenario.refundsEnabled) {
      this.refusedRefunds.push(input.reference);
      throw ApplicationFailure.create({ type: GatewayErrors.RefundsDisabled, message: 'refunds are disabled on this connection', nonRetryable: true });
    }
    const existing = this.refunds.get(input.reference);
    if (existing) return { status: existing.status, reference: existing.reference, amount: existing.amount };
    const faults = this.scenario.refunds;
    const fault: RefundFault = faults.length ? faults[this.refundCount++ % faults.length]! : { kind: 'processed' };
    if (fault.kind === 'gateway5xx') throw new Error(`gateway answered 503 for refund ${input.reference}`);
    const status = fault.kind === 'pending' ? 'pending' : fault.kind;
    this.refunds.set(input.reference, { reference: input.reference, chargeReference: input.chargeReference, amount: input.amount, status, settlesAt: fault.kind === 'pending' ? now + fault.settleMs : null });
    return { status, reference: input.reference, gatewayRefundId: `rf-${input.reference}`, amount: input.amount, ...(status === 'failed' ? { reason: 'refund declined by the gateway' } : {}) };
  }

  /** Wires this gateway (and the merchant endpoint's outages) into a FakeActivities. */
  activities(): FakeActivities {
    const fake = new FakeActivities();
    fake.charge = (input) => this.charge(input);
    fake.verify = (input) => this.verify(input);
    fake.refund = (input) => this.refund(input);
    fake.onNotify = () => {
      if (this.merchantDown(activityNow())) throw new Error('merchant endpoint answered 503');
    };
    return fake;
  }
}
