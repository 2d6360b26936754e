import {
  SubscriptionIdSchema,
  authorizationReference,
  chargeReference,
  refundReference,
  subscriptionIdFromReference,
  authorizationAttempt,
} from '../../src/shared/ids';

describe('deterministic references', () => {
  it('are stable for the same subscription, cycle and attempt', () => {
    expect(chargeReference('sub-abc', 3, 2)).toBe('sub-abc-c3-a2');
    expect(chargeReference('sub-abc', 3, 2)).toBe(chargeReference('sub-abc', 3, 2));
    expect(chargeReference('sub-abc', 3, 1)).not.toBe(chargeReference('sub-abc', 3, 2));
  });

  it('fit Paystack reference characters and Razorpay 40-character receipts for the longest id', () => {
    const id = 'a'.repeat(26);
    expect(SubscriptionIdSchema.safeParse(id).success).toBe(true);
    for (const ref of [chargeReference(id, 9999, 9), authorizationReference(id), refundReference(chargeReference(id, 9999, 9), 9)]) {
      expect(ref).toMatch(/^[A-Za-z0-9.=-]+$/);
      expect(ref.length).toBeLessThanOrEqual(40);
    }
  });

  it('lead back to their subscription', () => {
    expect(subscriptionIdFromReference('sub-abc-c12-a3')).toBe('sub-abc');
    expect(authorizationAttempt('sub-abc', 'sub-abc-auth3')).toBe(3);
    expect(authorizationAttempt('sub-abc', 'sub-abc-auth1-r1')).toBeNull();
    expect(authorizationAttempt('sub-abc', 'sub-abcd-auth1')).toBeNull();
    expect(authorizationAttempt('sub-abc', 'sub-abc-c1-a1')).toBeNull();
    expect(subscriptionIdFromReference('sub-abc-auth1')).toBe('sub-abc');
    expect(subscriptionIdFromReference('sub-abc-c1-a1-r2')).toBe('sub-abc');
    expect(subscriptionIdFromReference('T123456789')).toBeUndefined();
    expect(subscriptionIdFromReference('Links-616626414629')).toBeUndefined();
  });

  it('reject ids gateways cannot carry', () => {
    expect(SubscriptionIdSchema.safeParse('sub_underscore').success).toBe(false);
    expect(SubscriptionIdSchema.safeParse('a'.repeat(27)).success).toBe(false);
    expect(SubscriptionIdSchema.safeParse('-leading').success).toBe(false);
  });
});
