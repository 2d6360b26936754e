import { deliverySummary } from '../../src/workflows/outbox';

describe('the timeline line of a merchant-event delivery', () => {
  const event = (type: 'invoice.payment_failed' | 'invoice.paid', data: Record<string, unknown>) => ({ type, sequence: 4, subscriptionId: 'sub-9', data });

  it('says what was declined and why, with the reference relative to the subscription', () => {
    expect(deliverySummary(event('invoice.payment_failed', { reference: 'sub-9-c2-a1', reason: 'Insufficient Funds' }))).toBe('notify invoice.payment_failed #4 (c2-a1: Insufficient Funds)');
    expect(deliverySummary(event('invoice.paid', { reference: 'sub-9-c2-a2' }))).toBe('notify invoice.paid #4 (c2-a2)');
    expect(deliverySummary(event('invoice.paid', {}))).toBe('notify invoice.paid #4');
  });

  it('stays short whatever a gateway wrote as the reason', () => {
    const line = deliverySummary(event('invoice.payment_failed', { reference: 'sub-9-c2-a1', reason: 'x'.repeat(5000) }));
    expect(line.length).toBeLessThanOrEqual(160);
    expect(line.startsWith('notify invoice.payment_failed #4 (c2-a1: xxx')).toBe(true);
  });
});
