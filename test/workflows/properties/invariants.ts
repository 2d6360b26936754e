import { temporal } from '@temporalio/proto';
import { gatewayPolicy } from '../../../src/shared/gateway-policy';
import type { MerchantEvent } from '../../../src/shared/merchant-events';
import { DAY, MINUTE } from '../support/harness';
import type { Observation } from './runner';

/**
 * The properties every scenario must keep, each a small named function over what the run left behind. They read the
 * fake gateway's ledger (what moved money), the activity calls, the update answers and the histories, never the
 * workflow's internals, so they hold the redesigned workflow to the same account.
 */
export type Invariant = (o: Observation) => string[];

/** Activity retries, verify rounds and workflow tasks take seconds to minutes of server time; a due charge may be this late. */
const SLACK_MS = 5 * MINUTE;
/** An accepted update answers within this much workflow time; the longest honest wait is a pending charge's first recheck round plus a verify. */
export const UPDATE_BOUND_MS = 2 * DAY;
/**
 * History events per run: a fixed 50 for the run itself and its authorization phase (start, checkout activity, the
 * activation events, the expiry verify), 80 per billing cycle started in the run (one attempt costs about 18: its
 * timer, three workflow tasks, the charge and notify activities and a search-attribute upsert; Razorpay and
 * Flutterwave make four), and 15 per message received (a signal or an update, its workflow task, and the verify or
 * refund activity it may start). Measured on main: a Razorpay trial with a four-attempt cycle and no message is 121.
 * A message was 15 before 0.4.0; a refund it causes may now be re-sent and announced (refund.delayed), so 20.
 * The run's own part was 50 before 0.3.0; since then a run that never bills (a checkout left unpaid, then the window
 * after the end) also verifies its checkout before expiry and refunds a late payment: up to about 90, so 100.
 * Each charge whose outcome was unknown (its chargeCard call failed or timed out), and each reference verified over its
 * settlement horizon (0.4.0: such a charge, or a checkout left open when the subscription ended unpaid), adds up to
 * 80: its re-sends, its verify rounds and about seven verifies over the horizon (timer, task and activity each).
 * A run beyond this is looping without billing (e.g. verifying for days) and would outgrow the history limit.
 */
export const HISTORY_PER_RUN = 100;
export const HISTORY_PER_CYCLE = 80;
export const HISTORY_PER_MESSAGE = 20;
export const HISTORY_PER_UNKNOWN_OUTCOME = 80;
/**
 * Per day the run spans: what the workflow does on its own schedule while nothing else happens, at most about daily
 * each (a refund re-sent while the gateway does not answer, a settlement-horizon check): a timer, a workflow task and
 * an activity each, twice a day at worst. This bounds growth by time, not by how often anything is retried.
 */
export const HISTORY_PER_DAY = 20;

const at = (o: Observation, ms: number): string => `+${((ms - o.origin) / 3_600_000).toFixed(2)} h`;
const REF = /-c(\d+)-a(\d+)$/;

export interface Attempt {
  reference: string;
  cycle: number;
  attempt: number;
  /** Server time of the first chargeCard call under this reference (the attempt's start). */
  startedAt: number;
}

/** Charge attempts as the gateway saw them: one per distinct reference, in order of start. */
export function attempts(o: Observation): Attempt[] {
  const seen = new Map<string, Attempt>();
  for (const c of o.fake.charges()) {
    if (seen.has(c.input.reference)) continue;
    const m = REF.exec(c.input.reference);
    if (m) seen.set(c.input.reference, { reference: c.input.reference, cycle: Number(m[1]), attempt: Number(m[2]), startedAt: c.scheduledAt });
  }
  return [...seen.values()].sort((a, b) => a.startedAt - b.startedAt);
}

export function merchantEvents(o: Observation): MerchantEvent[] {
  const byId = new Map<string, MerchantEvent>();
  for (const e of o.fake.events()) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.sequence - b.sequence);
}

const refundsOf = (o: Observation, chargeReference: string) => [...o.gateway.refunds.values()].filter((r) => r.chargeReference === chargeReference && r.status !== 'failed');

/** The first accepted cancel (now) and the instant it was admitted. */
const acceptedCancels = (o: Observation) => o.updates.filter((u) => u.op.kind === 'cancel' && u.ok);

/**
 * At most one payment per cycle is kept. A gateway whose verify API says "not found" for hours after it charged (the
 * `lateSuccess` fault) can leave a second payment at the gateway for the same cycle; the workflow must then give it
 * back in full (payment.refunding, then the refund), so the customer pays each cycle once. Counted at the fake
 * gateway's ledger: a charge counts as kept unless it was refunded in full.
 */
export const atMostOneSuccessfulChargePerCycle: Invariant = (o) => {
  const byCycle = new Map<number, string[]>();
  const refunded = (ref: string): number => refundsOf(o, ref).reduce((s, r) => s + r.amount.amount, 0);
  for (const c of o.gateway.charges.values()) {
    if (c.status !== 'succeeded') continue;
    const m = REF.exec(c.reference);
    let cycle: number | null = m ? Number(m[1]) : null;
    // A first-invoice authorization pays cycle 1, unless it was given back.
    if (!m && o.isFirstInvoice && refunded(c.reference) < c.amount.amount) cycle = 1;
    if (cycle !== null && refunded(c.reference) < c.amount.amount) byCycle.set(cycle, [...(byCycle.get(cycle) ?? []), c.reference]);
  }
  return [...byCycle].filter(([, refs]) => refs.length > 1).map(([cycle, refs]) => `cycle ${cycle} kept ${refs.length} payments at the gateway: ${refs.join(', ')}`);
};

export const noChargeAttemptAfterAcceptedCancel: Invariant = (o) => {
  const out: string[] = [];
  for (const cancel of acceptedCancels(o)) {
    const late =
      cancel.op.kind === 'cancel' && cancel.op.at === 'now'
        ? attempts(o).filter((a) => a.startedAt > cancel.issuedAt)
        : attempts(o).filter((a) => a.startedAt > cancel.issuedAt && a.cycle > (cancel.view?.cycle ?? 0));
    for (const a of late) out.push(`charge ${a.reference} started at ${at(o, a.startedAt)}, after cancel(${cancel.op.kind === 'cancel' ? cancel.op.at : ''}) was accepted at ${at(o, cancel.issuedAt)}`);
  }
  return out;
};

export const authorizationChargeRefundedOnceOrExplained: Invariant = (o) => {
  const out: string[] = [];
  const events = merchantEvents(o);
  for (const c of o.gateway.charges.values()) {
    if (c.status !== 'succeeded' || REF.test(c.reference)) continue;
    // The first invoice, accepted as cycle 1's payment, is kept: that is what it was for.
    const keptAsInvoice = o.isFirstInvoice && events.some((e) => e.type === 'invoice.paid' && e.data.reference === c.reference);
    if (keptAsInvoice) continue;
    const refunds = refundsOf(o, c.reference);
    const total = refunds.reduce((s, r) => s + r.amount.amount, 0);
    if (refunds.length === 1 && total === c.amount.amount) continue;
    const explained = events.some((e) => /refund/.test(e.type) && e.type !== 'refund.processed' && e.data.reference !== undefined && e.data.reference.startsWith(c.reference));
    if (explained) continue;
    out.push(
      `authorization payment ${c.reference} (${c.amount.amount} ${c.amount.currency}) was ${refunds.length === 0 ? 'never refunded' : `refunded ${refunds.length} times for ${total}`}` +
        (o.gateway.refusedRefunds.length ? ` (gateway refused refunds: ${o.gateway.refusedRefunds.join(', ')})` : '') +
        ' and no merchant event says why',
    );
  }
  return out;
};

export const refundsNeverExceedTheCharge: Invariant = (o) => {
  const out: string[] = [];
  const byCharge = new Map<string, number>();
  for (const r of o.gateway.refunds.values()) if (r.status !== 'failed') byCharge.set(r.chargeReference, (byCharge.get(r.chargeReference) ?? 0) + r.amount.amount);
  for (const [ref, refunded] of byCharge) {
    const charge = o.gateway.charges.get(ref);
    const paid = charge?.status === 'succeeded' ? charge.amount.amount : 0;
    if (refunded > paid) out.push(`${ref}: refunded ${refunded} of ${paid} paid`);
  }
  return out;
};

export const acceptedUpdatesCompleteInBoundedTime: Invariant = (o) =>
  o.updates
    .filter((u) => u.accepted && (!u.settled || u.settledAt! - u.issuedAt > UPDATE_BOUND_MS))
    .map((u) =>
      u.settled
        ? `${u.op.kind} accepted at ${at(o, u.issuedAt)} answered only by ${at(o, u.settledAt!)}`
        : `${u.op.kind} accepted at ${at(o, u.issuedAt)} never answered (scenario ran to ${at(o, o.endAt)})`,
    );

const retryNowBefore = (o: Observation, from: number, to: number) =>
  o.updates.find((u) => u.op.kind === 'retryNow' && u.accepted && u.issuedAt >= from - SLACK_MS && u.issuedAt <= to && to - u.issuedAt <= SLACK_MS);

export const attemptsAndSpacingPerGatewayPolicy: Invariant = (o) => {
  const out: string[] = [];
  const policy = gatewayPolicy(o.input.gateway);
  const { count, spacingMs } = policy.automaticRetries;
  const byCycle = new Map<number, Attempt[]>();
  for (const a of attempts(o)) byCycle.set(a.cycle, [...(byCycle.get(a.cycle) ?? []), a]);
  const cancelAt = Math.min(...acceptedCancels(o).map((u) => u.issuedAt), Infinity);
  for (const [cycle, list] of byCycle) {
    list.sort((a, b) => a.attempt - b.attempt);
    list.forEach((a, i) => a.attempt !== i + 1 && out.push(`cycle ${cycle}: attempt numbers ${list.map((x) => x.attempt).join(',')} are not 1..${list.length}`));
    let automatic = 0;
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const cur = list[i]!;
      const gap = cur.startedAt - prev.startedAt;
      if (retryNowBefore(o, prev.startedAt, cur.startedAt)) {
        if (policy.manualRetry === 'none') out.push(`cycle ${cycle}: ${policy.label} ran a manual attempt ${cur.attempt}`);
        if (policy.manualRetry === 'next_attempt_early') automatic += 1; // early, but it is the next scheduled one
        continue;
      }
      automatic += 1;
      if (automatic > count) out.push(`cycle ${cycle}: automatic attempt ${cur.attempt} exceeds ${policy.label}'s ${count} automatic retries`);
      const known = o.gateway.knownAt.get(prev.reference) ?? prev.startedAt;
      const latest = Math.max(prev.startedAt + spacingMs, known) + SLACK_MS;
      if (gap < spacingMs - SLACK_MS || cur.startedAt > latest) {
        out.push(`cycle ${cycle}: attempt ${cur.attempt} started ${Math.round(gap / MINUTE)} min after attempt ${prev.attempt}'s start (policy: ${Math.round(spacingMs / MINUTE)} min; outcome known ${Math.round((known - prev.startedAt) / MINUTE)} min after start)`);
      }
    }
    // Stopped retrying: the last attempt was declined, retries remain, nothing stopped billing, and time ran on.
    const last = list[list.length - 1]!;
    const lastLedger = o.gateway.charges.get(last.reference);
    const due = Math.max(last.startedAt + spacingMs, o.gateway.knownAt.get(last.reference) ?? last.startedAt) + SLACK_MS;
    const stopped = o.updates.some((u) => u.ok && (u.op.kind === 'cancel' || u.op.kind === 'pause') && u.issuedAt <= due);
    if (lastLedger?.status === 'declined' && automatic < count && !stopped && cancelAt > due && due < o.endAt) {
      out.push(`cycle ${cycle}: attempt ${last.attempt} declined at ${at(o, last.startedAt)} and no automatic retry followed by ${at(o, due)} (${count - automatic} left)`);
    }
  }
  return out;
};

/**
 * What the workflow announced as due (nextChargeAt, or nextRetryAt while past_due) at a checkpoint after which the
 * runner did nothing until the due time: the next attempt must start then, not earlier and not later.
 */
function dueChargesMissed(o: Observation): { due: number; seenAt: number; startedAt: number | null }[] {
  const out: { due: number; seenAt: number; startedAt: number | null }[] = [];
  const all = attempts(o);
  for (const { at: seenAt, view } of o.views) {
    const dueIso = view.status === 'past_due' ? view.attempts.nextRetryAt : view.status === 'active' || view.status === 'trialing' ? view.nextChargeAt : null;
    if (!dueIso || view.cancelAtPeriodEnd) continue;
    const due = Date.parse(dueIso);
    if (view.status !== 'past_due' && view.plan.totalCycles !== null && view.cycle >= view.plan.totalCycles) continue;
    if (due + SLACK_MS > o.endAt || o.actions.some((t) => t > seenAt && t <= due + SLACK_MS)) continue;
    // A checkpoint can land just after the due instant (the runner stops right after the workflow's own due times),
    // with the answer not yet showing the attempt that started at it: count attempts from the due time then.
    const from = Math.min(seenAt, due - SLACK_MS);
    const next = all.find((a) => a.startedAt > from);
    if (!next || next.startedAt > due + SLACK_MS || next.startedAt < due - SLACK_MS) out.push({ due, seenAt, startedAt: next?.startedAt ?? null });
  }
  // One report per due instant.
  return out.filter((m, i) => out.findIndex((x) => x.due === m.due) === i);
}

const describeMiss = (o: Observation, m: { due: number; startedAt: number | null }): string =>
  `charge due at ${at(o, m.due)} ${m.startedAt === null ? 'never started' : `started at ${at(o, m.startedAt)}`}`;

export const downMerchantEndpointNeverDelaysACharge: Invariant = (o) =>
  dueChargesMissed(o)
    .filter((m) => o.scenario.outages.some((w) => o.origin + w.fromMs < (m.startedAt ?? o.endAt) && o.origin + w.toMs > m.seenAt - 3 * DAY))
    .map((m) => `${describeMiss(o, m)} while the merchant endpoint was down`);

export const chargesRunWhenDue: Invariant = (o) =>
  dueChargesMissed(o)
    .filter((m) => !o.scenario.outages.some((w) => o.origin + w.fromMs < (m.startedAt ?? o.endAt) && o.origin + w.toMs > m.seenAt - 3 * DAY))
    .map((m) => describeMiss(o, m));

function payloadJson(p: temporal.api.common.v1.IPayloads | null | undefined): unknown {
  const data = p?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}

export const historyPerCycleBounded: Invariant = (o) =>
  o.histories.flatMap((history, run) => {
    const events = history.events ?? [];
    const cycles = new Set<number>();
    const unknown = new Set<string>();
    const chargeScheduled = new Map<number, string>();
    let messages = 0;
    for (const e of events) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s?.activityType?.name === 'chargeCard') {
        const ref = (payloadJson(s.input) as { reference?: string } | undefined)?.reference ?? '';
        const m = REF.exec(ref);
        if (m) cycles.add(Number(m[1]));
      }
      if (s?.activityType?.name === 'chargeCard') chargeScheduled.set(Number(e.eventId), (payloadJson(s.input) as { reference?: string } | undefined)?.reference ?? '');
      // A reference verified over its settlement horizon (an unsettled charge, a checkout left open at the end).
      const summary = e.userMetadata?.summary ? payloadJson({ payloads: [e.userMetadata.summary] }) : undefined;
      if (s?.activityType?.name === 'verifyCharge' && typeof summary === 'string' && summary.includes('(unsettled')) {
        unknown.add((payloadJson(s.input) as { reference?: string } | undefined)?.reference ?? '');
      }
      // A charge call that failed or timed out: its outcome was unknown.
      const failed = e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
      const ref = failed ? chargeScheduled.get(Number(failed.scheduledEventId)) : undefined;
      if (ref) unknown.add(ref);
      if (e.workflowExecutionSignaledEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes) messages += 1;
    }
    const time = (e: temporal.api.history.v1.IHistoryEvent | undefined): number => Number(e?.eventTime?.seconds ?? 0) * 1000;
    const days = Math.ceil((time(events[events.length - 1]) - time(events[0])) / DAY);
    const bound = HISTORY_PER_RUN + HISTORY_PER_CYCLE * cycles.size + HISTORY_PER_MESSAGE * messages + HISTORY_PER_UNKNOWN_OUTCOME * unknown.size + HISTORY_PER_DAY * days;
    return events.length > bound
      ? [`run ${run + 1}: ${events.length} history events over ${days} day(s) for ${cycles.size} cycle(s), ${messages} message(s) and ${unknown.size} unknown outcome(s) (bound ${bound})`]
      : [];
  });

export const noWorkflowTaskFailure: Invariant = (o) => {
  const out = o.histories.flatMap((history, run) =>
    (history.events ?? [])
      // UNHANDLED_COMMAND is the server refusing a completion because a message arrived meanwhile: the SDK retries
      // at once with the new message. Anything else (an exception, non-determinism) is the workflow failing its task.
      .filter((e) => e.workflowTaskFailedEventAttributes && e.workflowTaskFailedEventAttributes.cause !== temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND)
      .slice(0, 1)
      .map((e) => {
        const a = e.workflowTaskFailedEventAttributes!;
        return `run ${run + 1}: workflow task failed (cause ${temporal.api.enums.v1.WorkflowTaskFailedCause[a.cause ?? 0]}): ${a.failure?.message ?? 'no message'}`;
      }),
  );
  return out;
};

/** The runner drove the scenario to its end: no client call hung (a blocked workflow task, a dead server). */
export const scenarioRanToTheEnd: Invariant = (o) => (o.runnerError ? [`scenario could not be driven: ${o.runnerError}`] : []);

/** Every invariant by name, in the order they are reported. */
export const INVARIANTS: Record<string, Invariant> = {
  atMostOneSuccessfulChargePerCycle,
  noChargeAttemptAfterAcceptedCancel,
  authorizationChargeRefundedOnceOrExplained,
  refundsNeverExceedTheCharge,
  acceptedUpdatesCompleteInBoundedTime,
  attemptsAndSpacingPerGatewayPolicy,
  downMerchantEndpointNeverDelaysACharge,
  chargesRunWhenDue,
  historyPerCycleBounded,
  noWorkflowTaskFailure,
  scenarioRanToTheEnd,
};

/** All violations of a run, each prefixed with the invariant's name. */
export function violations(o: Observation): string[] {
  return Object.entries(INVARIANTS).flatMap(([name, check]) => check(o).map((msg) => `${name}: ${msg}`));
}
