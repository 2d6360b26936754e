import { firstPeriodIndexAfter, periodStart, trialEnd, type BillingSchedule } from '../shared/calendar';
import type { GatewayEvent } from '../shared/gateway-events';
import { gatewayPolicy, type GatewayPolicy } from '../shared/gateway-policy';
import type { StoredCard } from '../shared/gateway-port';
import { authorizationAttempt, authorizationReference, chargeReference as chargeReferenceFor, refundReference } from '../shared/ids';
import { merchantEventId, type MerchantEvent, type MerchantEventType } from '../shared/merchant-events';
import type { Plan } from '../shared/schemas';
import { isCheckoutCharge, type ChargeRecord, type RefundRecord } from '../shared/state';
import type { SubscriptionStatus } from '../shared/status';
import type { Money } from '../shared/money';
import { nextRetryAt } from './dunning';
import { RETAINED, type CardUpdateState, type OpenAttempt, type RefundableCharge, type RefundRetry, type Sealed, type SubscriptionSnapshot, type UnsettledCharge } from './snapshot';
import { assertTransition, isTerminal } from './state-machine';

type EventData = MerchantEvent['data'];
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The subscription entity, sealed: outside this class the snapshot is read-only (`Sealed`), so the main loop and
 * the message handlers change state only through these methods, each named for what it means. Every transition is
 * checked, timestamped, announced to the merchant and published to visibility. Pure (no Temporal imports): the
 * clock is injected, the workflow passes its deterministic one; behaviour that depends on a `patched()` decision
 * takes that decision as an argument.
 */
export class SubscriptionState {
  /** Bumped on every change; the main loop's waits wake on it. */
  version = 0;
  onChange: () => void = () => undefined;
  readonly #s: SubscriptionSnapshot;

  constructor(
    snapshot: SubscriptionSnapshot,
    private readonly clock: () => number = () => Date.now(),
    /**
     * `consistentRecords` (0.5.0, features.ts): the record semantics documented in docs/api.md. `refundLedger`
     * (0.6.0): refunds are planned against `refundable`, not the trimmed lists.
     */
    private readonly rules: { consistentRecords?: boolean; refundLedger?: boolean } = {},
  ) {
    this.#s = snapshot;
    // Snapshots carried by runs before 0.3.0 lack these.
    snapshot.openAttempt ??= null;
    snapshot.refundRetries ??= [];
    snapshot.appliedUpdates ??= [];
    // A run continued from one before 0.6.0 starts its ledger from what the lists still hold.
    if (rules.refundLedger === true) snapshot.refundable ??= ledgerFromLists(snapshot);
  }

  /** Read-only: the snapshot changes only through this class. */
  get s(): Sealed<SubscriptionSnapshot> {
    return this.#s;
  }

  /** The snapshot to carry through continue-as-new. */
  carried(): SubscriptionSnapshot {
    return this.#s;
  }

  get id(): string {
    return this.#s.input.subscriptionId;
  }
  get policy(): GatewayPolicy {
    return gatewayPolicy(this.#s.input.gateway);
  }
  now(): number {
    return this.clock();
  }
  /** Webhooks wait for the main loop; merchant events have their own sender (outbox.ts). */
  hasWork(): boolean {
    return this.#s.inbox.length > 0;
  }

  get attempt(): Sealed<OpenAttempt> | null {
    return this.#s.openAttempt ?? null;
  }

  /** The calendar the current plan bills on, with the day of month kept across a re-anchoring plan change. */
  get calendar(): BillingSchedule {
    return { interval: this.#s.plan.interval, intervalCount: this.#s.plan.intervalCount, anchorDay: this.#s.billingAnchorDay ?? null };
  }

  changed(): void {
    this.version += 1;
    this.#s.updatedAt = iso(this.now());
    this.onChange();
  }

  emit(type: MerchantEventType, data: EventData = {}): void {
    const sequence = this.#s.eventSequence + 1;
    this.#s.eventSequence = sequence;
    this.#s.outbox.push({
      id: merchantEventId(this.id, sequence),
      type,
      sequence,
      subscriptionId: this.id,
      customerId: this.#s.input.customer.id,
      occurredAt: iso(this.now()),
      status: this.#s.status,
      data,
    });
  }

  transition(to: SubscriptionStatus, event?: MerchantEventType, data: EventData = {}): void {
    assertTransition(this.#s.status, to);
    this.#s.status = to;
    if (isTerminal(to)) this.#s.endedAt = iso(this.now());
    // A plan change that can no longer apply is not shown as pending (0.5.0).
    if (isTerminal(to) && this.rules.consistentRecords) this.#s.pendingPlan = null;
    if (event) this.emit(event, data);
    this.changed();
  }

  /** Dedupe on the webhook's event id; returns false for a redelivery. */
  acceptEvent(event: GatewayEvent): boolean {
    if (this.#s.seenEventIds.includes(event.eventId)) return false;
    this.#s.seenEventIds.push(event.eventId);
    if (this.#s.seenEventIds.length > RETAINED.eventIds) this.#s.seenEventIds.splice(0, this.#s.seenEventIds.length - RETAINED.eventIds);
    this.#s.inbox.push(event);
    this.version += 1;
    return true;
  }

  /** The oldest merchant event was delivered (or given up on): the outbox moves on. */
  eventSent(eventId: string): void {
    if (this.#s.outbox[0]?.id === eventId) this.#s.outbox.shift();
  }

  /** The oldest webhook not yet applied, removed from the inbox. */
  takeInboxEvent(): GatewayEvent | undefined {
    return this.#s.inbox.shift();
  }

  findCharge(reference: string): ChargeRecord | undefined {
    return this.#s.charges.find((c) => c.reference === reference);
  }

  recordCharge(record: ChargeRecord): void {
    const i = this.#s.charges.findIndex((c) => c.reference === record.reference);
    if (i >= 0) this.#s.charges[i] = record;
    else this.#s.charges.push(record);
    if (this.#s.charges.length > RETAINED.charges) this.#s.charges.splice(0, this.#s.charges.length - RETAINED.charges);
    if (record.outcome === 'succeeded' && record.gatewayTransactionId) this.ledgerPayment(record as ChargeRecord & { gatewayTransactionId: string });
    // The refunded authorization minimum is Chargeloop's mechanics, not a payment for anything (0.5.0).
    const minimum = this.isAuthorizationMinimum(record) && (this.rules.consistentRecords === true || record.kind === 'card_update');
    if (record.outcome === 'succeeded' && !minimum) this.#s.lastPayment = record;
    this.changed();
  }

  /**
   * A refunded minimum that pays for nothing: the checkout charge of a gateway that authorizes with one (not a first
   * invoice), and every card-update checkout charge.
   */
  isAuthorizationMinimum(record: Pick<ChargeRecord, 'kind'>): boolean {
    return record.kind === 'card_update' || (record.kind === 'authorization' && !this.#s.authorization.isFirstInvoice);
  }

  /** The refundable payment of this reference (0.6.0), or undefined (before 0.6.0, or not a retained payment). */
  refundable(reference: string): Sealed<RefundableCharge> | undefined {
    return this.#s.refundable?.find((c) => c.reference === reference);
  }

  private ledgerPayment(record: ChargeRecord & { gatewayTransactionId: string }): void {
    const ledger = this.#s.refundable;
    if (!ledger) return;
    const entry = ledger.find((c) => c.reference === record.reference);
    if (entry) Object.assign(entry, { gatewayTransactionId: record.gatewayTransactionId, amount: record.amount, at: record.at });
    else ledger.push({ reference: record.reference, gatewayTransactionId: record.gatewayTransactionId, amount: record.amount, refunded: 0, issued: 0, at: record.at });
    if (ledger.length > RETAINED.refundable) ledger.splice(0, ledger.length - RETAINED.refundable);
  }

  recordRefund(record: RefundRecord): void {
    const i = this.#s.refunds.findIndex((r) => r.reference === record.reference);
    const entry = this.#s.refundable?.find((c) => c.reference === record.chargeReference);
    if (entry) {
      if (i < 0) entry.issued += 1;
      entry.refunded += countsAgainst(record) - (i >= 0 ? countsAgainst(this.#s.refunds[i]!) : 0);
    }
    if (i >= 0) this.#s.refunds[i] = record;
    else this.#s.refunds.push(record);
    if (this.#s.refunds.length > RETAINED.refunds) this.#s.refunds.splice(0, this.#s.refunds.length - RETAINED.refunds);
    this.changed();
  }

  /**
   * Refund status changes from the activity or a webhook; the merchant hears about a processed refund once. The
   * gateway is the truth: with `failedMaySettle` (0.3.0), a refund marked failed that the gateway later reports
   * processed becomes processed, and every definite failure is announced (`refund.failed`), so someone acts on it.
   */
  settleRefund(reference: string, status: RefundRecord['status'], reason?: string, opts: { failedMaySettle?: boolean; announceFailure?: boolean } = {}): void {
    const refund = this.#s.refunds.find((r) => r.reference === reference);
    if (!refund || refund.status === status) return;
    const settles = refund.status === 'pending' || (opts.failedMaySettle === true && refund.status === 'failed' && status === 'processed');
    if (!settles) return;
    this.recordRefund({ ...refund, status, ...(reason ? { reason } : {}) });
    this.dropRefundRetry(reference);
    // The refunded authorization minimum (and a card update's) is Chargeloop's own mechanics, not a merchant refund:
    // no event when it works.
    const authorizationMinimum = refund.chargeReference === this.#s.authorization.reference && !this.#s.authorization.isFirstInvoice;
    const automatic = authorizationMinimum || (this.#s.cardUpdate != null && this.findCharge(refund.chargeReference)?.kind === 'card_update');
    if (authorizationMinimum) this.#s.authorization.refunded = status !== 'failed';
    if (status === 'processed' && !automatic) this.emit('refund.processed', { reference, amount: refund.amount });
    if (status === 'failed' && opts.announceFailure === true) {
      this.emit('refund.failed', { reference, chargeReference: refund.chargeReference, amount: refund.amount, ...(reason ? { reason } : {}) });
    }
    this.changed();
  }

  /** The authorization minimum's refund was asked for and the gateway took it (settled later by its webhook). */
  authorizationRefundRequested(): void {
    this.#s.authorization.refunded = true;
    this.changed();
  }

  // ── refunds Chargeloop makes on its own, and their retries ─────────────────

  /**
   * Records a refund Chargeloop owes (a payment that cannot count) under the charge's first refund reference, so it
   * is refunded at most once, and queues its request. Returns the refund's reference, or null when it already exists.
   */
  owesRefund(r: { chargeReference: string; gatewayTransactionId: string; amount: Money; reason: string }): string | null {
    const reference = this.recordFirstRefund(r);
    if (reference === null) return null;
    this.retryRefundAt({ reference, chargeReference: r.chargeReference, gatewayTransactionId: r.gatewayTransactionId, amount: r.amount, attempts: 0, retryAt: iso(this.now()) });
    return reference;
  }

  /**
   * Records the one refund Chargeloop makes of a charge on its own, as pending, under `refundReference(charge)`: the
   * reference is derived from the charge, so it is recorded (and refunded) at most once. Null when it already exists.
   */
  recordFirstRefund(r: { chargeReference: string; amount: Money; reason: string }): string | null {
    const reference = refundReference(r.chargeReference);
    // The ledger still knows a first refund whose record the list has dropped.
    if (this.#s.refunds.some((x) => x.reference === reference) || (this.refundable(r.chargeReference)?.issued ?? 0) > 0) return null;
    this.recordRefund({ reference, chargeReference: r.chargeReference, amount: r.amount, status: 'pending', reason: r.reason, at: iso(this.now()) });
    return reference;
  }

  /** A refund request whose outcome is unknown (or not sent yet): sent again at `retryAt` under the same reference. */
  retryRefundAt(retry: RefundRetry): void {
    const queue = this.#s.refundRetries!;
    const i = queue.findIndex((r) => r.reference === retry.reference);
    if (i >= 0) queue[i] = retry;
    else queue.push(retry);
    this.changed();
  }

  dropRefundRetry(reference: string): void {
    const queue = this.#s.refundRetries!;
    const i = queue.findIndex((r) => r.reference === reference);
    if (i >= 0) queue.splice(i, 1);
  }

  /**
   * A successful payment that cannot count (the cycle is already paid, the subscription has ended, or the checkout is
   * no longer the authorization): recorded, owed back, and the merchant is told why.
   */
  refuseLatePayment(record: ChargeRecord & { gatewayTransactionId: string }, why: string): void {
    const lastPayment = this.#s.lastPayment;
    this.recordCharge({ ...record, reason: why });
    this.#s.lastPayment = lastPayment; // a payment owed back is not the subscription's last payment
    const refund = this.owesRefund({ chargeReference: record.reference, gatewayTransactionId: record.gatewayTransactionId, amount: record.amount, reason: why });
    this.emit('payment.refunding', { reference: record.reference, amount: record.amount, reason: why, ...(refund ? { refundReference: refund } : {}) });
    this.changed();
  }

  /** Whether `cycle` already has a successful charge (at most one payment per cycle is ever kept). */
  cyclePaid(cycle: number): boolean {
    return this.#s.charges.some((c) => c.cycle === cycle && !isCheckoutCharge(c.kind) && c.outcome === 'succeeded') || (cycle === 1 && this.firstInvoicePaid());
  }

  private firstInvoicePaid(): boolean {
    const a = this.#s.authorization;
    return a.isFirstInvoice && a.status === 'authorized';
  }

  // ── updates applied, by id ─────────────────────────────────────────────────

  hasApplied(updateId: string): boolean {
    return this.#s.appliedUpdates!.some((u) => u.id === updateId);
  }

  /** Remembers an applied update's id (bounded), so a retry with the same id after continue-as-new changes nothing. */
  applied(updateId: string, name: string): void {
    const list = this.#s.appliedUpdates!;
    list.push({ id: updateId, name });
    if (list.length > RETAINED.updates) list.splice(0, list.length - RETAINED.updates);
  }

  // ── authorization ──────────────────────────────────────────────────────────

  /**
   * The checkout under the current reference exists but its URL was lost (a retried call found the reference taken).
   * Nobody can pay a checkout nobody has, so the next one opens under the next deterministic reference.
   */
  useNextAuthorizationReference(): void {
    const a = this.#s.authorization;
    const attempt = authorizationAttempt(this.id, a.reference) ?? 1;
    a.reference = authorizationReference(this.#s.input.subscriptionId, attempt + 1);
    this.changed();
  }

  /** The current checkout's reference is spent (paid with the wrong amount): the next one opens under the next reference. */
  reopenCheckout(): void {
    this.useNextAuthorizationReference();
    this.#s.authorization.checkoutUrl = null;
    this.changed();
  }

  setCheckout(checkoutUrl: string): void {
    this.#s.authorization.checkoutUrl = checkoutUrl;
    this.changed();
  }

  authorize(card: StoredCard, record: ChargeRecord): void {
    this.#s.card = card;
    this.#s.authorization.status = 'authorized';
    this.recordCharge(record);
  }

  /**
   * The pending checkout gets a new link (0.6.0): the next reference, a fresh window. The loop opens it; the old
   * reference is no longer the authorization, so a payment there is refunded (its caller watches it).
   */
  reissueCheckout(expiresAt: number): void {
    this.#s.authorization.expiresAt = iso(expiresAt);
    this.reopenCheckout();
  }

  checkoutReissued(): void {
    const a = this.#s.authorization;
    this.emit('checkout.reissued', { reference: a.reference, ...(a.checkoutUrl ? { checkoutUrl: a.checkoutUrl } : {}), expiresAt: a.expiresAt });
    this.changed();
  }

  expireAuthorization(reason?: string): void {
    this.#s.authorization.status = 'expired';
    this.transition('incomplete_expired', 'subscription.incomplete_expired', { reference: this.#s.authorization.reference, ...(reason ? { reason } : {}) });
  }

  /**
   * Fix the calendar once the card is authorized. The anchor is the trial end (or the authorization time), or a
   * configured anchor when that is later; an earlier configured anchor is ignored so nothing is billed in arrears.
   */
  startCalendar(): void {
    const now = this.now();
    const trialEndMs = this.#s.plan.trialDays > 0 ? trialEnd(now, this.#s.plan.trialDays) : null;
    const base = trialEndMs ?? now;
    const configured = this.#s.input.billingAnchor ? Date.parse(this.#s.input.billingAnchor) : null;
    const anchor = configured !== null && configured > base ? configured : base;
    this.#s.billingAnchor = iso(anchor);
    this.#s.periodIndex = 0;
    this.#s.nextChargeAt = iso(anchor);
    // Time before a later anchor is free, like a trial: the first charge happens at the anchor.
    this.#s.trialEndsAt = anchor > now ? iso(anchor) : null;
  }

  /** The first payment already paid cycle 1 (Flutterwave/Razorpay without trial). */
  activateWithFirstPayment(record: ChargeRecord): void {
    this.#s.cycle = 1;
    // The first invoice is the cycle's first attempt, as on gateways that charge cycle 1 on the stored card (0.5.0).
    if (this.rules.consistentRecords) this.#s.dunning.attemptsMade = 1;
    this.schedulePaidPeriod(0);
    this.#s.trialEndsAt = null;
    this.transition('active', 'subscription.activated', { cycle: 1, reference: record.reference, nextChargeAt: this.#s.nextChargeAt });
    this.emit('invoice.paid', { cycle: 1, attempt: 1, reference: record.reference, amount: record.amount, nextChargeAt: this.#s.nextChargeAt });
    this.changed();
  }

  startTrial(): void {
    this.transition('trialing', 'subscription.trial_started', { nextChargeAt: this.#s.nextChargeAt });
  }

  // ── billing ────────────────────────────────────────────────────────────────

  anchorMs(): number {
    if (this.#s.billingAnchor === null) throw new Error('billing calendar not started');
    return Date.parse(this.#s.billingAnchor);
  }

  /** Start of the next unbilled period: where the next charge, cancellation at period end or completion happens. */
  nextBoundaryMs(): number {
    return periodStart(this.anchorMs(), this.calendar, this.#s.periodIndex);
  }

  isFinished(): boolean {
    return this.#s.plan.totalCycles !== null && this.#s.cycle >= this.#s.plan.totalCycles;
  }

  /**
   * At a period boundary: a pending plan change takes effect; a new interval re-anchors the calendar here. With
   * `keepAnchorDay` (0.3.0) the calendar keeps the old anchor's day of month, so a Jan 31 plan re-anchored on its
   * Feb 28 boundary still bills on the 31st (or the month's last day).
   */
  applyPendingPlan(boundaryMs: number, keepAnchorDay = false): void {
    const next = this.#s.pendingPlan;
    if (!next) return;
    const sameCalendar = next.interval === this.#s.plan.interval && next.intervalCount === this.#s.plan.intervalCount;
    const anchorDay = this.#s.billingAnchorDay ?? (this.#s.billingAnchor ? new Date(this.#s.billingAnchor).getUTCDate() : null);
    this.#s.plan = next;
    this.#s.pendingPlan = null;
    if (!sameCalendar) {
      this.#s.billingAnchor = iso(boundaryMs);
      this.#s.periodIndex = 0;
      if (keepAnchorDay) this.#s.billingAnchorDay = anchorDay;
    }
    this.changed();
  }

  beginCycle(): number {
    this.#s.cycle += 1;
    this.#s.dunning = { attemptsMade: 0, nextRetryAt: null, retryNowRequested: false };
    this.changed();
    return this.#s.cycle;
  }

  /** Starts the next attempt of the current cycle: counted, recorded as pending, carried until its outcome is known. */
  openAttempt(requested: OpenAttempt['kind']): Sealed<OpenAttempt> {
    const s = this.#s;
    // Cycle 1's automatic attempts are the initial charge, not a renewal of anything (0.5.0).
    const kind = requested === 'renewal' && s.cycle === 1 && this.rules.consistentRecords ? 'initial' : requested;
    const attempt = s.dunning.attemptsMade + 1;
    s.dunning.attemptsMade = attempt;
    const reference = chargeReferenceFor(this.id, s.cycle, attempt);
    const amount = { amount: s.plan.amount, currency: s.plan.currency };
    const open: OpenAttempt = { cycle: s.cycle, attempt, reference, kind, amount, startedAt: iso(this.now()), phase: 'send', nextCheckAt: null, resends: 0, pendingRounds: 0, verifyRounds: 0 };
    s.openAttempt = open;
    this.recordCharge({ cycle: s.cycle, attempt, reference, kind, amount, outcome: 'pending', at: open.startedAt });
    return open;
  }

  /** The open attempt moves on: re-sent, waiting for its webhook, or to be verified at `nextCheckAt`. */
  attemptProgress(change: Partial<Pick<OpenAttempt, 'phase' | 'nextCheckAt' | 'resends' | 'pendingRounds' | 'verifyRounds'>>): void {
    const open = this.#s.openAttempt;
    if (!open) throw new Error('no open attempt');
    Object.assign(open, change);
    this.changed();
  }

  /** Charges recorded as declined that may still be processed late, verified until their horizon (unsettled.ts). */
  get unsettledCharges(): readonly Sealed<UnsettledCharge>[] {
    return this.#s.unsettledCharges ?? [];
  }

  /** Keeps checking a reference that may still be paid late (unsettled.ts), from `firstCheckAt`; once per reference. */
  watchUnsettled(u: Sealed<Omit<UnsettledCharge, 'nextCheckAt' | 'checks'>>, firstCheckAt: number): void {
    const list = (this.#s.unsettledCharges ??= []);
    if (list.some((x) => x.reference === u.reference)) return;
    list.push({ cycle: u.cycle, attempt: u.attempt, reference: u.reference, kind: u.kind, amount: { ...u.amount }, sentAt: u.sentAt, nextCheckAt: iso(firstCheckAt), checks: 0 });
    // Bounded like the rest of the snapshot; the horizon keeps it far below this (a few attempts a day for 3 days).
    if (list.length > RETAINED.unsettledCharges) list.splice(0, list.length - RETAINED.unsettledCharges);
    // Bookkeeping, not a change anyone sees (no changed(): updatedAt and the search attributes stay as they are); the
    // loop reads the next check time each time it waits. A payment found is booked through the usual methods.
  }

  /** A check of an unsettled charge: checked again at `nextCheckAt`, or no longer watched (null: settled or expired). */
  unsettledChecked(reference: string, nextCheckAt: number | null): void {
    const list = this.#s.unsettledCharges ?? [];
    const i = list.findIndex((u) => u.reference === reference);
    if (i < 0) return;
    if (nextCheckAt === null) list.splice(i, 1);
    else Object.assign(list[i]!, { nextCheckAt: iso(nextCheckAt), checks: list[i]!.checks + 1 });
  }

  /** The open attempt has its outcome; the caller books it (chargeSucceeded, chargeDeclined or refuseLatePayment). */
  closeAttempt(): OpenAttempt {
    const open = this.#s.openAttempt;
    if (!open) throw new Error('no open attempt');
    this.#s.openAttempt = null;
    return open;
  }

  /**
   * Mark period `index` paid and schedule the next charge from the anchor (never from the payment time). A late
   * recovery pays the period that contains now, so no catch-up charges follow.
   */
  private schedulePaidPeriod(index: number): void {
    const anchor = this.anchorMs();
    const now = this.now();
    const paid = Math.max(index, firstPeriodIndexAfter(anchor, this.calendar, now) - 1);
    this.#s.periodIndex = paid + 1;
    this.#s.currentPeriodStart = iso(periodStart(anchor, this.calendar, paid));
    this.#s.currentPeriodEnd = iso(periodStart(anchor, this.calendar, paid + 1));
    this.#s.nextChargeAt = this.isFinished() || this.#s.cancelAtPeriodEnd ? null : this.#s.currentPeriodEnd;
  }

  chargeSucceeded(record: ChargeRecord): void {
    this.recordCharge(record);
    this.schedulePaidPeriod(this.#s.periodIndex);
    this.#s.dunning.nextRetryAt = null;
    this.#s.dunning.retryNowRequested = false;
    this.#s.trialEndsAt = null;
    const data = { cycle: record.cycle, attempt: record.attempt, reference: record.reference, amount: record.amount, nextChargeAt: this.#s.nextChargeAt };
    if (this.#s.status !== 'active') this.transition('active', 'subscription.activated', data);
    this.emit('invoice.paid', data);
    this.changed();
  }

  /**
   * A declined attempt: past_due while automatic retries remain, otherwise unpaid (access revoked, kept). The next
   * retry is spaced from `attemptStartedMs` (when the attempt was sent; 0.3.0), not from when its answer came.
   */
  chargeDeclined(record: ChargeRecord, attemptStartedMs: number = this.now(), opts: { retry?: boolean } = {}): void {
    this.recordCharge(record);
    const d = this.#s.dunning;
    d.retryNowRequested = false;
    if (isTerminal(this.#s.status)) return this.changed(); // an attempt resolved after a cancel: nothing more to collect
    // `retry: false`: no automatic retry can succeed (the card was revoked), so straight to unpaid.
    const retryAt = this.#s.status === 'unpaid' || opts.retry === false ? null : nextRetryAt(this.policy, d.attemptsMade, attemptStartedMs);
    d.nextRetryAt = retryAt === null ? null : iso(retryAt);
    this.#s.nextChargeAt = null;
    const data = { cycle: record.cycle, attempt: record.attempt, reference: record.reference, amount: record.amount, reason: record.reason, nextRetryAt: d.nextRetryAt };
    this.emit('invoice.payment_failed', data);
    if (retryAt !== null && this.#s.status !== 'past_due') this.transition('past_due', 'subscription.past_due', data);
    else if (retryAt === null && this.#s.status !== 'unpaid') this.transition('unpaid', 'subscription.unpaid', data);
    this.changed();
  }

  /**
   * The gateway reported the stored card revoked (0.4.0): remembered, so no renewal is sent to it (charging.ts), and
   * announced once. A second report of the same card changes nothing.
   */
  revokeCard(reason: string): void {
    if (this.#s.cardRevoked) return;
    this.#s.cardRevoked = { at: iso(this.now()), reason };
    this.emit('card.revoked', { reason });
    this.changed();
  }

  // ── card updates (0.6.0; card-update.ts) ─────────────────────────────────────

  get cardUpdate(): Sealed<CardUpdateState> | null {
    return this.#s.cardUpdate ?? null;
  }

  /** The next checkout reference, `<id>-auth<n>`: after the authorization's and every card update's before it. */
  nextCheckoutReference(): string {
    const n = (reference: string | undefined): number => (reference === undefined ? 0 : authorizationAttempt(this.id, reference) ?? 1);
    return authorizationReference(this.id, Math.max(n(this.#s.authorization.reference), n(this.#s.cardUpdate?.reference)) + 1);
  }

  /** Whether `reference` is one of this subscription's card-update checkouts (numbered after its authorization's). */
  isCardUpdateReference(reference: string): boolean {
    const cu = this.#s.cardUpdate;
    const n = authorizationAttempt(this.id, reference);
    if (!cu || n === null) return false;
    return n > (authorizationAttempt(this.id, this.#s.authorization.reference) ?? 1) && n <= (authorizationAttempt(this.id, cu.reference) ?? 0);
  }

  /** A card-update checkout is being opened under `reference` (its link comes with cardUpdateOpened). */
  openCardUpdate(reference: string, amount: Money, expiresAt: number): void {
    this.#s.cardUpdate = { status: 'pending', reference, checkoutUrl: null, amount: { ...amount }, requestedAt: iso(this.now()), expiresAt: iso(expiresAt) };
    this.changed();
  }

  /** The gateway had the reference already (a lost answer): the checkout opens under `reference` instead. */
  moveCardUpdate(reference: string): void {
    if (this.#s.cardUpdate) this.#s.cardUpdate.reference = reference;
  }

  cardUpdateOpened(checkoutUrl: string): void {
    const cu = this.#s.cardUpdate;
    if (!cu) return;
    cu.checkoutUrl = checkoutUrl;
    this.emit('card_update.opened', { reference: cu.reference, checkoutUrl, expiresAt: cu.expiresAt });
    this.changed();
  }

  /** The new card is authorized: renewals go to it, a revocation of the old one no longer applies. */
  cardUpdated(card: StoredCard, record: ChargeRecord): void {
    const cu = this.#s.cardUpdate;
    if (!cu) return;
    this.#s.card = card;
    this.#s.cardRevoked = null;
    cu.status = 'authorized';
    this.recordCharge(record);
    this.emit('card.updated', { reference: cu.reference, card: { ...(card.last4 ? { last4: card.last4 } : {}), ...(card.brand ? { brand: card.brand } : {}) } });
    this.changed();
  }

  /** The card update closes without a new card; `announce` false when its checkout never opened (the update failed). */
  closeCardUpdate(status: 'expired' | 'failed' | 'replaced', reason: string, announce = true): void {
    const cu = this.#s.cardUpdate;
    if (!cu || cu.status !== 'pending') return;
    cu.status = status;
    cu.reason = reason;
    if (announce) this.emit(status === 'failed' ? 'card_update.failed' : 'card_update.expired', { reference: cu.reference, reason });
    this.changed();
  }

  // ── merchant operations (validated by refusals.ts first) ────────────────────

  cancelNow(): void {
    this.#s.canceledAt = iso(this.now());
    this.#s.nextChargeAt = null;
    this.#s.dunning.nextRetryAt = null;
    this.transition('canceled', 'subscription.canceled', { nextChargeAt: null });
  }

  cancelAtPeriodEnd(): void {
    this.#s.cancelAtPeriodEnd = true;
    // The subscription ends at this boundary: a plan change for the next cycle will never apply (0.5.0).
    if (this.rules.consistentRecords) this.#s.pendingPlan = null;
    this.#s.nextChargeAt = null;
    this.changed();
  }

  pause(): void {
    this.#s.pausedAt = iso(this.now());
    this.#s.nextChargeAt = null;
    this.transition('paused', 'subscription.paused', { nextChargeAt: null });
  }

  /** Periods that ended while paused are not billed: billing resumes at the next anchor date. */
  resume(): void {
    this.#s.pausedAt = null;
    const anchor = this.anchorMs();
    this.#s.periodIndex = firstPeriodIndexAfter(anchor, this.calendar, this.now(), this.#s.periodIndex);
    this.#s.nextChargeAt = this.isFinished() || this.#s.cancelAtPeriodEnd ? null : iso(periodStart(anchor, this.calendar, this.#s.periodIndex));
    this.transition('active', 'subscription.resumed', { nextChargeAt: this.#s.nextChargeAt });
  }

  complete(): void {
    this.transition('completed', 'subscription.completed', { cycle: this.#s.cycle });
  }

  requestRetryNow(): void {
    this.#s.dunning.retryNowRequested = true;
    this.changed();
  }

  changePlan(plan: Plan): void {
    this.#s.pendingPlan = plan;
    this.changed();
  }
}

/** What a refund takes from its charge: everything but a failed one. */
const countsAgainst = (r: Pick<RefundRecord, 'status' | 'amount'>): number => (r.status === 'failed' ? 0 : r.amount.amount);

/** The ledger of a snapshot carried by a run before 0.6.0: its retained successful payments and their refunds. */
function ledgerFromLists(s: SubscriptionSnapshot): RefundableCharge[] {
  return s.charges.flatMap((c) => {
    if (c.outcome !== 'succeeded' || !c.gatewayTransactionId) return [];
    const mine = s.refunds.filter((r) => r.chargeReference === c.reference);
    const refunded = mine.reduce((sum, r) => sum + countsAgainst(r), 0);
    return [{ reference: c.reference, gatewayTransactionId: c.gatewayTransactionId, amount: c.amount, refunded, issued: mine.length, at: c.at }];
  });
}
