import { periodStart } from '../../src/shared/calendar';
import { authorizationReference, chargeReference, refundReference } from '../../src/shared/ids';
import {
  cancelUpdate,
  changePlanUpdate,
  gatewayEventSignal,
  pauseUpdate,
  refundUpdate,
  resumeUpdate,
  stateQuery,
} from '../../src/shared/messages';
import type { Plan } from '../../src/shared/schemas';
import { CustomerIdAttr, GatewayAttr, NextChargeAtAttr, PlanIdAttr, SubscriptionStatusAttr } from '../../src/shared/search-attributes';
import { FakeActivities } from './support/fake-activities';
import { DAY, expectRefused, HOUR, iso, MINUTE, recordHistory, skipTo, startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

const h = useHarness();
const monthly: Plan = { id: 'm', amount: 150000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null };

describe('merchant operations', () => {
  it('publishes status, plan and next charge as search attributes, and the state as current details', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      const active = (await handle.describe()).typedSearchAttributes;
      expect(active.get(SubscriptionStatusAttr)).toBe('active');
      expect(active.get(GatewayAttr)).toBe('paystack');
      expect(active.get(CustomerIdAttr)).toBe(input.customer.id);
      expect(active.get(PlanIdAttr)).toBe('m');
      expect(active.get(NextChargeAtAttr)?.toISOString()).toBe(view.nextChargeAt);
      const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      expect(metadata.currentDetails).toContain('**active**');
      expect(metadata.currentDetails).toContain(`| Next charge | ${view.nextChargeAt} |`);
      await handle.executeUpdate(pauseUpdate);
      const paused = (await handle.describe()).typedSearchAttributes;
      expect(paused.get(SubscriptionStatusAttr)).toBe('paused');
      expect(paused.get(NextChargeAtAttr)).toBeUndefined();
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
    });
  });

  it('cancel now ends the subscription at once; nothing is charged afterwards', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly });
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const canceled = await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      expect(canceled).toMatchObject({ status: 'canceled', nextChargeAt: null });
      return handle.result();
    });
    expect(view.status).toBe('canceled');
    expect(fake.charges()).toEqual([]);
    expect(fake.eventTypes().at(-1)).toBe('subscription.canceled');
  });

  it('cancel at period end keeps the paid period, charges nothing more, and ends on the boundary', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly });
    let boundary = 0;
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view: active } = await startActive(h, fake, taskQueue, input);
      boundary = Date.parse(active.currentPeriodEnd!);
      const marked = await handle.executeUpdate(cancelUpdate, { args: [{ at: 'period_end' }] });
      expect(marked).toMatchObject({ status: 'active', cancelAtPeriodEnd: true, nextChargeAt: null });
      // Idempotent: asking again changes nothing.
      expect(await handle.executeUpdate(cancelUpdate, { args: [{ at: 'period_end' }] })).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
      await expectRefused(handle.executeUpdate(pauseUpdate), /set to cancel at period end/);
      const result = await handle.result();
      await recordHistory(h, 'paystack-cancel-at-period-end', handle);
      return result;
    });
    expect(view.status).toBe('canceled');
    expect(Date.parse(view.canceledAt!) - boundary).toBeGreaterThanOrEqual(0);
    expect(Date.parse(view.canceledAt!) - boundary).toBeLessThan(MINUTE);
    expect(fake.charges()).toHaveLength(1);
  });

  it('pause stops charging; resume continues on the anchor calendar without billing the paused months', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'razorpay', plan: { ...monthly, currency: 'INR' } });
    const { resumed, final } = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view: active } = await startActive(h, fake, taskQueue, input);
      const paused = await handle.executeUpdate(pauseUpdate);
      expect(paused).toMatchObject({ status: 'paused', nextChargeAt: null });
      await expectRefused(handle.executeUpdate(pauseUpdate), /already paused/);
      await h.env.sleep(75 * DAY);
      expect(fake.charges()).toHaveLength(0);
      const resumed = await handle.executeUpdate(resumeUpdate);
      await expectRefused(handle.executeUpdate(resumeUpdate), /only a paused subscription/);
      const now = await h.env.currentTimeMs();
      const anchor = Date.parse(active.billingAnchor!);
      expect(resumed.status).toBe('active');
      const next = Date.parse(resumed.nextChargeAt!);
      expect(next).toBeGreaterThan(now);
      expect([3, 4].map((n) => periodStart(anchor, { interval: 'month', intervalCount: 1 }, n))).toContain(next);
      await h.env.sleep(next - now + HOUR);
      const final = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'razorpay-pause-resume', handle);
      return { resumed, final };
    });
    expect(fake.charges()).toHaveLength(1);
    expect(fake.charges()[0]!.scheduledAt - Date.parse(resumed.nextChargeAt!)).toBeLessThan(MINUTE);
    expect(final).toMatchObject({ status: 'active', cycle: 2 });
    expect(fake.eventTypes()).toEqual(['subscription.activated', 'invoice.paid', 'subscription.paused', 'subscription.resumed', 'invoice.paid', 'subscription.canceled']);
  });

  it('refunds a charge in parts up to what is left, with deterministic references; refuses more', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly });
    const c1 = chargeReference(input.subscriptionId, 1, 1);
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1, amount: 50000, reason: 'goodwill' }] });
      await expectRefused(handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1, amount: 100001 }] }), /exceeds the NGN 1000.00 left/);
      await expectRefused(handle.executeUpdate(refundUpdate, { args: [{ chargeReference: 'not-ours-c1-a1' }] }), /not a successful charge/);
      // The authorization minimum was already refunded automatically.
      await expectRefused(handle.executeUpdate(refundUpdate, { args: [{ chargeReference: authorizationReference(input.subscriptionId) }] }), /already fully refunded/);
      await expectRefused(handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1, amount: -5 }] }), /invalid request/);
      const rest = await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1 }] });
      await expectRefused(handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1 }] }), /already fully refunded/);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, 'paystack-refunds', handle);
      return rest;
    });
    const merchantRefunds = fake.callsOf('refundCharge').filter((c) => c.input.chargeReference === c1);
    expect(merchantRefunds.map((c) => [c.input.reference, c.input.amount.amount, c.input.gatewayTransactionId])).toEqual([
      [refundReference(c1, 1), 50000, `tx-${c1}`],
      [refundReference(c1, 2), 100000, `tx-${c1}`],
    ]);
    expect(view.refunds.filter((r) => r.chargeReference === c1)).toEqual([
      expect.objectContaining({ reference: refundReference(c1, 1), status: 'processed', reason: 'goodwill' }),
      expect.objectContaining({ reference: refundReference(c1, 2), status: 'processed' }),
    ]);
    expect(fake.eventTypes().filter((t) => t === 'refund.processed')).toHaveLength(2);
  });

  it('changes the plan from the next cycle; refuses a plan the gateway cannot run', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly });
    const premium: Plan = { ...monthly, id: 'premium', amount: 990000 };
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle, view: active } = await startActive(h, fake, taskQueue, input);
      await expectRefused(handle.executeUpdate(changePlanUpdate, { args: [{ ...premium, intervalCount: 2 }] }), /intervalCount must be 1/);
      await expectRefused(handle.executeUpdate(changePlanUpdate, { args: [{ ...premium, currency: 'ZAR' }] }), /cannot switch currency/);
      const changed = await handle.executeUpdate(changePlanUpdate, { args: [premium] });
      expect(changed).toMatchObject({ plan: { id: 'm' }, pendingPlan: { id: 'premium' } });
      expect(fake.charges()).toHaveLength(1);
      await skipTo(h, Date.parse(active.nextChargeAt!) + HOUR);
      const after = await handle.query(stateQuery);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      return after;
    });
    expect(fake.charges().map((c) => c.input.amount.amount)).toEqual([150000, 990000]);
    expect(view).toMatchObject({ plan: { id: 'premium' }, pendingPlan: null, cycle: 2 });
  });

  it('continues as new after 12 cycles keeping all state, and a webhook sent at that moment is not lost', async () => {
    const fake = new FakeActivities();
    const daily: Plan = { id: 'daily', amount: 10000, currency: 'NGN', interval: 'day', intervalCount: 1, trialDays: 0, totalCycles: 15 };
    const input = subscriptionInput({ gateway: 'flutterwave', plan: daily });
    const auth = authorizationReference(input.subscriptionId);
    fake.refund = (r) => ({ status: 'pending', reference: r.reference, amount: r.amount });
    let signalled = false;
    const { view, firstRunId, lastRunId } = await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      // Refund the first invoice; the gateway settles it later by webhook.
      const pending = await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: auth, amount: 4000 }] });
      expect(pending.refunds).toEqual([expect.objectContaining({ reference: refundReference(auth), status: 'pending' })]);
      // The 12th cycle's last activity is the last thing before continue-as-new: the webhook lands right then.
      fake.onNotify = async (event) => {
        if (event.type === 'invoice.paid' && event.data.cycle === 12 && !signalled) {
          signalled = true;
          await handle.signal(gatewayEventSignal, { type: 'refund.processed', eventId: 'rf-evt-1', gateway: 'flutterwave', reference: refundReference(auth), chargeReference: auth, amount: { amount: 4000, currency: 'NGN' } });
        }
      };
      const view = await handle.result();
      const lastRunId = (await h.env.client.workflow.getHandle(handle.workflowId).describe()).runId;
      await recordHistory(h, 'flutterwave-continue-as-new-with-signal', handle);
      return { view, firstRunId: handle.firstExecutionRunId, lastRunId };
    });
    expect(signalled).toBe(true);
    expect(lastRunId).not.toBe(firstRunId);
    expect(view).toMatchObject({ status: 'completed', cycle: 15 });
    expect(view.refunds).toEqual([expect.objectContaining({ reference: refundReference(auth), status: 'processed' })]);
    // Every cycle charged exactly once across the boundary, on its day.
    expect(fake.charges().map((c) => c.input.reference)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((n) => chargeReference(input.subscriptionId, n, 1)));
    const anchor = Date.parse(view.billingAnchor!);
    fake.charges().forEach((c, i) => expect(c.scheduledAt - (anchor + (i + 1) * DAY)).toBeLessThan(MINUTE));
    const events = fake.events();
    expect(events.filter((e) => e.type === 'refund.processed')).toHaveLength(1);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(view.eventSequence).toBe(events.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(iso(anchor + 15 * DAY)).toBe(view.currentPeriodEnd);
  });
});
