import { gatewayEventSignal } from '../../src/shared/messages';
import { authorizationReference, chargeReference, refundReference } from '../../src/shared/ids';
import type { Gateway } from '../../src/shared/gateway-policy';
import type { Currency } from '../../src/shared/money';
import { FakeActivities } from './support/fake-activities';
import { authorizationPaid, iso, MINUTE, nextJan31, recordHistory, start, subscriptionInput, useHarness, withWorker } from './support/harness';

// A year of monthly billing per gateway on the time-skipping server: every charge at its calendar date,
// anchored on Jan 31 and clamped to month ends (Feb 28, or Feb 29 in a leap year), never drifting.
const h = useHarness();

/** Month-end-clamped Jan 31 calendar written out by hand, so the test does not check the calendar with itself. */
function jan31Calendar(year: number): string[] {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return days.map((d, m) => `${year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}T09:00:00.000Z`);
}

async function runYear(gateway: Gateway, opts: { leap?: boolean; history: string }) {
  const fake = new FakeActivities();
  const anchor = nextJan31(await h.env.currentTimeMs(), { leap: opts.leap ?? false });
  const currency: Currency = gateway === 'razorpay' ? 'INR' : 'NGN';
  const input = subscriptionInput({
    gateway,
    billingAnchor: iso(anchor),
    plan: { id: 'monthly', amount: 250000, currency, interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: 12 },
  });
  const authAmount = gateway === 'paystack' ? { amount: 5000, currency } : { amount: 250000, currency };
  const view = await withWorker(h, fake, async (taskQueue) => {
    const handle = await start(h, taskQueue, input);
    await fake.checkoutOpened();
    await handle.signal(gatewayEventSignal, authorizationPaid(input, authAmount));
    const result = await handle.result();
    await recordHistory(h, opts.history, handle);
    return result;
  });
  return { fake, input, view, year: new Date(anchor).getUTCFullYear() };
}

function expectChargesAt(fake: FakeActivities, expected: string[]): void {
  const charges = fake.charges();
  expect(charges).toHaveLength(expected.length);
  charges.forEach((c, i) => {
    const due = Date.parse(expected[i]!);
    // Scheduled on the boundary itself; the slack is only the worker's own processing time.
    expect(c.scheduledAt).toBeGreaterThanOrEqual(due);
    expect(c.scheduledAt - due).toBeLessThan(MINUTE);
  });
}

describe('a year of monthly billing', () => {
  it('Paystack: refunded authorization, then 12 charges on the Jan 31 calendar, then completed', async () => {
    const { fake, input, view, year } = await runYear('paystack', { history: 'paystack-monthly-year' });
    const calendar = jan31Calendar(year);
    expect(calendar[1]).toBe(`${year}-02-28T09:00:00.000Z`);
    expectChargesAt(fake, calendar);
    expect(fake.charges().map((c) => c.input.reference)).toEqual(calendar.map((_, i) => chargeReference(input.subscriptionId, i + 1, 1)));
    expect(fake.charges().every((c) => c.input.amount.amount === 250000 && c.input.card.token === 'AUTH_secret_token')).toBe(true);
    expect(fake.callsOf('refundCharge').map((c) => c.input.reference)).toEqual([refundReference(authorizationReference(input.subscriptionId))]);
    expect(view.status).toBe('completed');
    expect(view.cycle).toBe(12);
    expect(view.currentPeriodStart).toBe(calendar[11]);
    expect(view.currentPeriodEnd).toBe(`${year + 1}-01-31T09:00:00.000Z`);
    const types = fake.eventTypes();
    expect(types.filter((t) => t === 'invoice.paid')).toHaveLength(12);
    expect(types[0]).toBe('subscription.trial_started');
    expect(types.at(-1)).toBe('subscription.completed');
    const completed = fake.events().at(-1)!;
    expect(Date.parse(completed.occurredAt) - Date.parse(`${year + 1}-01-31T09:00:00.000Z`)).toBeLessThan(MINUTE);
    // One sequence across both runs (12 cycles per run, so the 13th boundary is in a continued run).
    expect(fake.events().map((e) => e.sequence)).toEqual(fake.events().map((_, i) => i + 1));
    expect(JSON.stringify(view)).not.toContain('AUTH_secret_token');
  });

  it('Flutterwave: the first payment is cycle 1, then 11 renewals on the Jan 31 calendar', async () => {
    const { fake, input, view, year } = await runYear('flutterwave', { history: 'flutterwave-monthly-year' });
    const calendar = jan31Calendar(year).slice(1);
    expectChargesAt(fake, calendar);
    expect(fake.charges().map((c) => c.input.reference)).toEqual(calendar.map((_, i) => chargeReference(input.subscriptionId, i + 2, 1)));
    expect(fake.callsOf('refundCharge')).toHaveLength(0);
    expect(fake.callsOf('initializeAuthorization')[0]!.input).toMatchObject({ isFirstInvoice: true, amount: { amount: 250000, currency: 'NGN' } });
    expect(view).toMatchObject({ status: 'completed', cycle: 12 });
  });

  it('Razorpay in a leap year: Feb 29, then month ends through December', async () => {
    const { fake, view, year } = await runYear('razorpay', { leap: true, history: 'razorpay-monthly-leap-year' });
    const calendar = jan31Calendar(year).slice(1);
    expect(calendar[0]).toBe(`${year}-02-29T09:00:00.000Z`);
    expectChargesAt(fake, calendar);
    expect(fake.charges().every((c) => c.input.amount.currency === 'INR')).toBe(true);
    expect(view).toMatchObject({ status: 'completed', cycle: 12 });
  });
});
