import type { GatewayEvent } from '../../src/shared/gateway-events';
import { chargeReference, refundReference } from '../../src/shared/ids';
import { gatewayEventSignal, refundUpdate, stateQuery } from '../../src/shared/messages';
import type { Plan } from '../../src/shared/schemas';
import { FakeActivities } from './support/fake-activities';
import { startActive, subscriptionInput, useHarness, withWorker } from './support/harness';
import { poll } from '../helpers/poll';

const h = useHarness();
const monthly: Plan = { id: 'm', amount: 150000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null };

/**
 * Paystack's real refund webhooks (test/fixtures/gateways/paystack/webhook-refund-*.json) carry no merchant
 * reference: only the charge's transaction_reference, the amount and Paystack's own refund_reference. The pending
 * refund of that charge with that amount is the one they settle, the oldest first.
 */
describe('refund webhooks that name only the charge and the amount (Paystack)', () => {
  it('settle the matching pending refunds, one each, and a failed one is recorded as failed', async () => {
    const fake = new FakeActivities();
    fake.refund = (r) => ({ status: 'pending', reference: r.reference, amount: r.amount });
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly });
    const c1 = chargeReference(input.subscriptionId, 1, 1);
    const view = await withWorker(h, fake, async (taskQueue) => {
      const { handle } = await startActive(h, fake, taskQueue, input);
      await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1, amount: 50000 }] });
      await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1, amount: 50000 }] });
      await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: c1, amount: 20000 }] });
      const event = (type: 'refund.processed' | 'refund.failed', n: number, amount: number): GatewayEvent => {
        const base = { eventId: `paystack:${type}:${c1}:RF${n}:${amount}`, gateway: 'paystack' as const, reference: `RF${n}`, chargeReference: c1, amount: { amount, currency: 'NGN' as const } };
        return type === 'refund.failed' ? { ...base, type, reason: 'refund failed' } : { ...base, type };
      };
      await handle.signal(gatewayEventSignal, event('refund.processed', 1, 50000));
      await handle.signal(gatewayEventSignal, event('refund.failed', 2, 20000));
      await handle.signal(gatewayEventSignal, event('refund.processed', 3, 50000));
      return poll(() => handle.query(stateQuery), (v) => v.refunds.filter((r) => r.chargeReference === c1 && r.status !== 'pending').length === 3, { timeoutMs: 10_000, intervalMs: 50 });
    });
    expect(view.refunds.filter((r) => r.chargeReference === c1)).toEqual([
      expect.objectContaining({ reference: refundReference(c1, 1), status: 'processed' }),
      expect.objectContaining({ reference: refundReference(c1, 2), status: 'processed' }),
      expect.objectContaining({ reference: refundReference(c1, 3), status: 'failed' }),
    ]);
  });
});
