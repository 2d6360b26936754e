import { firstPeriodIndexAfter, periodStart, trialEnd } from '../shared/calendar';
import type { GatewayEvent } from '../shared/gateway-events';
import { gatewayPolicy, type GatewayPolicy } from '../shared/gateway-policy';
import type { StoredCard } from '../shared/gateway-port';
import { authorizationReference } from '../shared/ids';
import { merchantEventId, type MerchantEvent, type MerchantEventType } from '../shared/merchant-events';
import type { Plan } from '../shared/schemas';
import type { ChargeRecord, RefundRecord, SubscriptionView } from '../shared/state';
import type { SubscriptionStatus } from '../shared/status';
import { nextRetryAt } from './dunning';
import { RETAINED, type SubscriptionSnapshot } from './snapshot';
import { assertTransition } from './state-machine';

type EventData = MerchantEvent['data'];
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The subscription entity: the workflow's main loop and its message handlers change state only through these
 * methods, so every transition is checked, timestamped, announced to the merchant and published to visibility.
 * Pure (no Temporal imports): the clock is injected, the workflow passes its deterministic one.
 */
export class SubscriptionState {
  /** Bumped on every change; the main loop's waits wake on it. */
  version = 0;
  /** Reference of the charge whose activity is running or whose outcome is awaited. */
  chargeInFlight: string | null = null;
  /** Set while the outcome is `pending` at the gateway: cancel/pause wait for a definite answer. */
  awaitingConfirmation = false;
  /** Attempts finished in this run; retry-now waits for it to move. */
  attemptsFinished = 0;
  cyclesThisRun = 0;
  /** A merchant event is being delivered; `outboxHeld` stops new deliveries before continue-as-new. */
  sending = false;
  outboxHeld = false;
  /** Failed attempts to open the checkout (the authorization phase never spans a continue-as-new). */
  checkoutFailures = 0;
  /**
   * The main loop is parked in a wait: no webhook half-applied, no step half-done. Cancel and pause apply only
   * then, so they never cut between a payment and its bookkeeping (e.g. the authorization refund).
   */
  idle = false;
  /** The subscription as it was when the checkout opened: the create response, identical for every retry. */
  checkoutView: SubscriptionView | null = null;
  onChange: () => void = () => undefined;

  constructor(
    readonly s: SubscriptionSnapshot,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  get id(): string {
    return this.s.input.subscriptionId;
  }
  get policy(): GatewayPolicy {
    return gatewayPolicy(this.s.input.gateway);
  }
  now(): number {
    return this.clock();
  }
  /** Webhooks wait for the main loop; merchant events have their own sender (outbox.ts). */
  hasWork(): boolean {
    return this.s.inbox.length > 0;
  }

  changed(): void {
    this.version += 1;
    this.s.updatedAt = iso(this.now());
    this.onChange();
  }

  emit(type: MerchantEventType, data: EventData = {}): void {
    const sequence = this.s.eventSequence + 1;
    this.s.eventSequence = sequence;
    this.s.outbox.push({
      id: merchantEventId(this.id, sequence),
      type,
      sequence,
      subscriptionId: this.id,
      customerId: this.s.input.customer.id,
      occurredAt: iso(this.now()),
      status: this.s.status,
      data,
    });
  }

  transition(to: SubscriptionStatus, event?: MerchantEventType, data: EventData = {}): void {
    assertTransition(this.s.status, to);
    this.s.status = to;
    if (event) this.emit(event, data);
    this.changed();
  }

  /** Dedupe on the webhook's event id; returns false for a redelivery. */
  acceptEvent(event: GatewayEvent): boolean {
    if (this.s.seenEventIds.includes(event.eventId)) return false;
    this.s.seenEventIds.push(event.eventId);
    if (this.s.seenEventIds.length > RETAINED.eventIds) this.s.seenEventIds.splice(0, this.s.seenEventIds.length - RETAINED.eventIds);
    this.s.inbox.push(event);
    this.version += 1;
    return true;
  }

  findCharge(reference: string): ChargeRecord | undefined {
    return this.s.charges.find((c) => c.reference === reference);
  }

  recordCharge(record: ChargeRecord): void {
    const i = this.s.charges.findIndex((c) => c.reference === record.reference);
    if (i >= 0) this.s.charges[i] = record;
    else this.s.charges.push(record);
    if (this.s.charges.length > RETAINED.charges) this.s.charges.splice(0, this.s.charges.length - RETAINED.charges);
    if (record.outcome === 'succeeded') this.s.lastPayment = record;
    this.changed();
  }

  recordRefund(record: RefundRecord): void {
    const i = this.s.refunds.findIndex((r) => r.reference === record.reference);
    if (i >= 0) this.s.refunds[i] = record;
    else this.s.refunds.push(record);
    if (this.s.refunds.length > RETAINED.refunds) this.s.refunds.splice(0, this.s.refunds.length - RETAINED.refunds);
    this.changed();
  }

  /** Refund status changes from the activity or a webhook; the merchant hears about a processed refund once. */
  settleRefund(reference: string, status: RefundRecord['status'], reason?: string): void {
    const refund = this.s.refunds.find((r) => r.reference === reference);
    if (!refund || refund.status === status || refund.status !== 'pending') return;
    this.recordRefund({ ...refund, status, ...(reason ? { reason } : {}) });
    // The refunded authorization minimum is Chargeloop's own mechanics, not a merchant refund: no event for it.
    const automatic = refund.chargeReference === this.s.authorization.reference && !this.s.authorization.isFirstInvoice;
    if (automatic) this.s.authorization.refunded = status !== 'failed';
    else if (status === 'processed') {
      this.emit('refund.processed', { reference, amount: refund.amount });
      this.changed();
    }
  }

  // ── authorization ──────────────────────────────────────────────────────────

  /**
   * The checkout under the current reference exists but its URL was lost (a retried call found the reference taken).
   * Nobody can pay a checkout nobody has, so the next one opens under the next deterministic reference.
   */
  useNextAuthorizationReference(): void {
    const a = this.s.authorization;
    const attempt = Number(/-auth(\d+)$/.exec(a.reference)?.[1] ?? 1);
    a.reference = authorizationReference(this.s.input.subscriptionId, attempt + 1);
    this.changed();
  }

  /** The current checkout's reference is spent (paid with the wrong amount): the next one opens under the next reference. */
  reopenCheckout(): void {
    this.useNextAuthorizationReference();
    this.s.authorization.checkoutUrl = null;
    this.changed();
  }

  setCheckout(checkoutUrl: string): void {
    this.s.authorization.checkoutUrl = checkoutUrl;
    this.changed();
  }

  authorize(card: StoredCard, record: ChargeRecord): void {
    this.s.card = card;
    this.s.authorization.status = 'authorized';
    this.recordCharge(record);
  }

  expireAuthorization(reason?: string): void {
    this.s.authorization.status = 'expired';
    this.transition('incomplete_expired', 'subscription.incomplete_expired', { reference: this.s.authorization.reference, ...(reason ? { reason } : {}) });
  }

  /**
   * Fix the calendar once the card is authorized. The anchor is the trial end (or the authorization time), or a
   * configured anchor when that is later; an earlier configured anchor is ignored so nothing is billed in arrears.
   */
  startCalendar(): void {
    const now = this.now();
    const trialEndMs = this.s.plan.trialDays > 0 ? trialEnd(now, this.s.plan.trialDays) : null;
    const base = trialEndMs ?? now;
    const configured = this.s.input.billingAnchor ? Date.parse(this.s.input.billingAnchor) : null;
    const anchor = configured !== null && configured > base ? configured : base;
    this.s.billingAnchor = iso(anchor);
    this.s.periodIndex = 0;
    this.s.nextChargeAt = iso(anchor);
    // Time before a later anchor is free, like a trial: the first charge happens at the anchor.
    this.s.trialEndsAt = anchor > now ? iso(anchor) : null;
  }

  /** The first payment already paid cycle 1 (Flutterwave/Razorpay without trial). */
  activateWithFirstPayment(record: ChargeRecord): void {
    this.s.cycle = 1;
    this.cyclesThisRun += 1;
    this.schedulePaidPeriod(0);
    this.s.trialEndsAt = null;
    this.transition('active', 'subscription.activated', { cycle: 1, reference: record.reference, nextChargeAt: this.s.nextChargeAt });
    this.emit('invoice.paid', { cycle: 1, attempt: 1, reference: record.reference, amount: record.amount, nextChargeAt: this.s.nextChargeAt });
    this.changed();
  }

  startTrial(): void {
    this.transition('trialing', 'subscription.trial_started', { nextChargeAt: this.s.nextChargeAt });
  }

  // ── billing ────────────────────────────────────────────────────────────────

  anchorMs(): number {
    if (this.s.billingAnchor === null) throw new Error('billing calendar not started');
    return Date.parse(this.s.billingAnchor);
  }

  /** Start of the next unbilled period: where the next charge, cancellation at period end or completion happens. */
  nextBoundaryMs(): number {
    return periodStart(this.anchorMs(), this.s.plan, this.s.periodIndex);
  }

  isFinished(): boolean {
    return this.s.plan.totalCycles !== null && this.s.cycle >= this.s.plan.totalCycles;
  }

  /** At a period boundary: a pending plan change takes effect; a new interval re-anchors the calendar here. */
  applyPendingPlan(boundaryMs: number): void {
    const next = this.s.pendingPlan;
    if (!next) return;
    const sameCalendar = next.interval === this.s.plan.interval && next.intervalCount === this.s.plan.intervalCount;
    this.s.plan = next;
    this.s.pendingPlan = null;
    if (!sameCalendar) {
      this.s.billingAnchor = iso(boundaryMs);
      this.s.periodIndex = 0;
    }
    this.changed();
  }

  beginCycle(): number {
    this.s.cycle += 1;
    this.cyclesThisRun += 1;
    this.s.dunning = { attemptsMade: 0, nextRetryAt: null, retryNowRequested: false };
    this.changed();
    return this.s.cycle;
  }

  /**
   * Mark period `index` paid and schedule the next charge from the anchor (never from the payment time). A late
   * recovery pays the period that contains now, so no catch-up charges follow.
   */
  private schedulePaidPeriod(index: number): void {
    const anchor = this.anchorMs();
    const now = this.now();
    const paid = Math.max(index, firstPeriodIndexAfter(anchor, this.s.plan, now) - 1);
    this.s.periodIndex = paid + 1;
    this.s.currentPeriodStart = iso(periodStart(anchor, this.s.plan, paid));
    this.s.currentPeriodEnd = iso(periodStart(anchor, this.s.plan, paid + 1));
    this.s.nextChargeAt = this.isFinished() || this.s.cancelAtPeriodEnd ? null : this.s.currentPeriodEnd;
  }

  chargeSucceeded(record: ChargeRecord): void {
    this.recordCharge(record);
    this.schedulePaidPeriod(this.s.periodIndex);
    this.s.dunning.nextRetryAt = null;
    this.s.dunning.retryNowRequested = false;
    this.s.trialEndsAt = null;
    const data = { cycle: record.cycle, attempt: record.attempt, reference: record.reference, amount: record.amount, nextChargeAt: this.s.nextChargeAt };
    if (this.s.status !== 'active') this.transition('active', 'subscription.activated', data);
    this.emit('invoice.paid', data);
    this.changed();
  }

  /** A declined attempt: past_due while automatic retries remain, otherwise unpaid (access revoked, kept). */
  chargeDeclined(record: ChargeRecord): void {
    this.recordCharge(record);
    const d = this.s.dunning;
    d.retryNowRequested = false;
    const retryAt = this.s.status === 'unpaid' ? null : nextRetryAt(this.policy, d.attemptsMade, this.now());
    d.nextRetryAt = retryAt === null ? null : iso(retryAt);
    this.s.nextChargeAt = null;
    const data = { cycle: record.cycle, attempt: record.attempt, reference: record.reference, amount: record.amount, reason: record.reason, nextRetryAt: d.nextRetryAt };
    this.emit('invoice.payment_failed', data);
    if (retryAt !== null && this.s.status !== 'past_due') this.transition('past_due', 'subscription.past_due', data);
    else if (retryAt === null && this.s.status !== 'unpaid') this.transition('unpaid', 'subscription.unpaid', data);
    this.changed();
  }

  // ── merchant operations (validated by refusals.ts first) ────────────────────

  cancelNow(): void {
    this.s.canceledAt = iso(this.now());
    this.s.nextChargeAt = null;
    this.s.dunning.nextRetryAt = null;
    this.transition('canceled', 'subscription.canceled', { nextChargeAt: null });
  }

  cancelAtPeriodEnd(): void {
    this.s.cancelAtPeriodEnd = true;
    this.s.nextChargeAt = null;
    this.changed();
  }

  pause(): void {
    this.s.pausedAt = iso(this.now());
    this.s.nextChargeAt = null;
    this.transition('paused', 'subscription.paused', { nextChargeAt: null });
  }

  /** Periods that ended while paused are not billed: billing resumes at the next anchor date. */
  resume(): void {
    this.s.pausedAt = null;
    const anchor = this.anchorMs();
    this.s.periodIndex = firstPeriodIndexAfter(anchor, this.s.plan, this.now(), this.s.periodIndex);
    this.s.nextChargeAt = this.isFinished() || this.s.cancelAtPeriodEnd ? null : iso(periodStart(anchor, this.s.plan, this.s.periodIndex));
    this.transition('active', 'subscription.resumed', { nextChargeAt: this.s.nextChargeAt });
  }

  complete(): void {
    this.transition('completed', 'subscription.completed', { cycle: this.s.cycle });
  }

  requestRetryNow(): void {
    this.s.dunning.retryNowRequested = true;
    this.changed();
  }

  changePlan(plan: Plan): void {
    this.s.pendingPlan = plan;
    this.changed();
  }
}
