import { LastChargeOutcomeAttr } from '../../src/shared/search-attributes';
import { chargeReference, refundReference } from '../../src/shared/ids';
import { cancelUpdate, changePlanUpdate, gatewayEventSignal, refundUpdate, retryNowUpdate, stateQuery } from '../../src/shared/messages';
import { FakeActivities, monthly, renewalsDecline, succeeded } from './support/fake-activities';
import { authorizationPaid, DAY, expectRefused, MINUTE, recordHistory, skipTo, start, startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

const h = useHarness();

// Issue 12: what a merchant and an operator expect of a billing system, each behind a 0.5.0 patched() flag.
describe('merchant expectations (0.5.0)', () => {
  it.each(['flutterwave', 'razorpay'] as const)('%s: an unpaid subscription is recovered by a merchant retry under the next reference', async (gateway) => {
    const fake = new FakeActivities();
    renewalsDecline(fake);
    const input = subscriptionInput({ gateway, plan: monthly(gateway === 'razorpay' ? 'INR' : 'NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + 5 * DAY);
      const unpaid = await handle.query(stateQuery);
      expect(unpaid).toMatchObject({ status: 'unpaid', attempts: { made: 4, automaticRemaining: 0 } });
      // The decline is readable where an operator looks: the search attribute and the answer's last attempt.
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get(LastChargeOutcomeAttr)).toBe('declined');
      expect(unpaid.lastAttempt).toMatchObject({ cycle: 2, attempt: 4, kind: 'renewal', outcome: 'declined', reason: 'insufficient_funds' });

      // Still declining: the retry answers with the attempt's outcome and the subscription stays unpaid.
      const again = await handle.executeUpdate(retryNowUpdate);
      expect(again).toMatchObject({ status: 'unpaid', lastAttempt: { reference: chargeReference(input.subscriptionId, 2, 5), kind: 'manual_retry', outcome: 'declined' } });
      fake.charge = succeeded;
      const recovered = await handle.executeUpdate(retryNowUpdate);
      expect(recovered).toMatchObject({ status: 'active', cycle: 2, lastAttempt: { reference: chargeReference(input.subscriptionId, 2, 6), outcome: 'succeeded' } });
      expect((await handle.describe()).typedSearchAttributes.get(LastChargeOutcomeAttr)).toBe('succeeded');
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      await recordHistory(h, `${gateway}-unpaid-merchant-retry`, handle);
    });
  });

  it('Flutterwave: a retry while past_due is still refused (its own schedule runs the retries)', async () => {
    const fake = new FakeActivities();
    renewalsDecline(fake);
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + 5 * MINUTE);
      expect(await handle.query(stateQuery)).toMatchObject({ status: 'past_due', attempts: { made: 1 } });
      await expectRefused(handle.executeUpdate(retryNowUpdate), /own schedule/);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      // Always let the workflow finish: an abandoned one holds the server's time-skipping lock.
      await handle.result();
    });
  });

  it('keeps charges of a canceled subscription refundable for the refund window, then completes', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const c1 = chargeReference(input.subscriptionId, 1, 1);
      const canceled = await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      // Well past the 7 days in which late payments are refunded: the customer asks for the money back.
      await skipTo(h, Date.parse(canceled.canceledAt!) + 120 * DAY);
      const refunded = await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1, amount: 50000, reason: 'asked after cancel' }] });
      expect(refunded.status).toBe('canceled');
      expect(refunded.refunds.find((r) => r.reference === refundReference(c1, 1))).toMatchObject({ status: 'processed', amount: { amount: 50000 } });
      // Same limits as before the end.
      await expectRefused(handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1, amount: 100001 }] }), /exceeds/);
      await handle.result();
      // The workflow's own close time: the server's clock may have skipped past it while nothing else ran.
      const closedAt = (await handle.describe()).closeTime!.getTime();
      expect(closedAt - Date.parse(canceled.canceledAt!)).toBeGreaterThanOrEqual(180 * DAY);
      expect(closedAt - Date.parse(canceled.canceledAt!)).toBeLessThan(181 * DAY);
      await recordHistory(h, 'paystack-refund-after-cancel', handle);
    });
    expect(fake.callsOf('refundCharge').filter((c) => c.input.chargeReference === chargeReference(input.subscriptionId, 1, 1))).toHaveLength(1);
  });

  it('takes the refund window from the subscription (the connection\'s refundWindowDays)', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN'), refundWindowDays: 30 });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const canceled = await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      await handle.result();
      // The workflow's own close time: the server's clock may have skipped past it while nothing else ran.
      const closedAt = (await handle.describe()).closeTime!.getTime();
      expect(closedAt - Date.parse(canceled.canceledAt!)).toBeGreaterThanOrEqual(30 * DAY);
      expect(closedAt - Date.parse(canceled.canceledAt!)).toBeLessThan(31 * DAY);
    });
  });

  it('Paystack: cycle 1 is the initial charge, the refunded minimum is never the last payment', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      expect(view).toMatchObject({ status: 'active', attempts: { made: 1 }, lastPayment: { reference: chargeReference(input.subscriptionId, 1, 1), kind: 'initial' } });
      await skipTo(h, Date.parse(view.nextChargeAt!) + MINUTE);
      const renewed = await handle.query(stateQuery);
      expect(renewed.lastPayment).toMatchObject({ cycle: 2, kind: 'renewal' });
      expect(renewed.charges.map((c) => c.kind)).toEqual(['authorization', 'initial', 'renewal']);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      // Always let the workflow finish: an abandoned one holds the server's time-skipping lock.
      await handle.result();
    });
  });

  it('Paystack with a trial: before the first charge there is no last payment, only the authorization', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: { ...monthly('NGN'), trialDays: 7 } });
    await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      await fake.checkoutOpened();
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: 5000, currency: 'NGN' }));
      await fake.waitForEvent('subscription.trial_started');
      const trialing = await handle.query(stateQuery);
      expect(trialing).toMatchObject({ status: 'trialing', lastPayment: null, lastAttempt: null });
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      // Always let the workflow finish: an abandoned one holds the server's time-skipping lock.
      await handle.result();
    });
  });

  it('Flutterwave: the first invoice counts as attempt 1, as a first charge does on Paystack', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      expect(view).toMatchObject({ status: 'active', cycle: 1, attempts: { made: 1 }, lastPayment: { kind: 'authorization', cycle: 1 } });
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      // Always let the workflow finish: an abandoned one holds the server's time-skipping lock.
      await handle.result();
    });
  });

  it('a plan change never outlives a cancel at period end: cleared, and refused afterwards', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      const changed = await handle.executeUpdate(changePlanUpdate, { args: [{ ...monthly('NGN'), id: 'gold', amount: 250000 }] });
      expect(changed.pendingPlan).toMatchObject({ id: 'gold' });
      const canceling = await handle.executeUpdate(cancelUpdate, { args: [{ at: 'period_end' }] });
      expect(canceling).toMatchObject({ cancelAtPeriodEnd: true, pendingPlan: null });
      await expectRefused(handle.executeUpdate(changePlanUpdate, { args: [{ ...monthly('NGN'), id: 'silver' }] }), /cancel at period end/);
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      expect((await handle.query(stateQuery)).pendingPlan).toBeNull();
      await handle.result();
    });
  });
});
