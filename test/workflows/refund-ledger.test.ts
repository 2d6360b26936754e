import { authorizationReference, chargeReference, refundReference } from '../../src/shared/ids';
import { cancelUpdate, refundUpdate, stateQuery } from '../../src/shared/messages';
import { declined, FakeActivities, monthly, succeeded } from './support/fake-activities';
import { DAY, recordHistory, skipTo, startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

/**
 * 0.6.0 (`refunds-from-ledger`): what can be refunded does not depend on how many attempts the view keeps. Before, a
 * Flutterwave subscription whose renewals each needed the retries could refund only its last five cycles.
 */
describe('refunds of older payments (0.6.0)', () => {
  const h = useHarness();

  it('a payment older than the last 20 attempts is still refunded, once, under its own reference, also after a cancel', async () => {
    const fake = new FakeActivities();
    // Every renewal is declined three times and paid by the last retry: four attempts per cycle.
    fake.charge = (input) => (/-a4$/.test(input.reference) ? succeeded(input) : declined(input));
    const input = subscriptionInput({ gateway: 'flutterwave', plan: monthly('NGN') });
    const id = input.subscriptionId;
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      await skipTo(h, Date.parse(view.nextChargeAt!) + 6 * 31 * DAY);
      const later = await handle.query(stateQuery);
      expect(later.cycle).toBeGreaterThanOrEqual(6);
      expect(later.charges.map((c) => c.reference)).not.toContain(authorizationReference(id));
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });

      const first = await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: authorizationReference(id) }], updateId: 'refund-cycle-1' });
      expect(first.refunds.find((r) => r.chargeReference === authorizationReference(id))).toMatchObject({ reference: refundReference(authorizationReference(id)), status: 'processed', amount: { amount: 150000 } });
      const second = await handle.executeUpdate(refundUpdate, { args: [{ chargeReference: chargeReference(id, 2, 4), amount: 100000 }] });
      expect(second.refunds.find((r) => r.chargeReference === chargeReference(id, 2, 4))).toMatchObject({ reference: refundReference(chargeReference(id, 2, 4)), status: 'processed' });
      await expect(handle.executeUpdate(refundUpdate, { args: [{ chargeReference: authorizationReference(id) }] })).rejects.toThrow();
      const refunds = fake.callsOf('refundCharge').map((c) => c.input.reference);
      expect(refunds.filter((r) => r === refundReference(authorizationReference(id)))).toHaveLength(1);
      await recordHistory(h, 'flutterwave-refund-older-payment', handle);
    });
  });
});
