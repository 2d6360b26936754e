/** What a card does when charged, in gateway-neutral terms; each fake gateway words it as that gateway does. */
export type Outcome = 'success' | 'decline' | 'insufficient_funds' | 'pending';
export const OUTCOMES: readonly Outcome[] = ['success', 'decline', 'insufficient_funds', 'pending'];

export interface TestCard {
  number: string;
  label: string;
  /** Outcome at the hosted checkout (the first payment). */
  checkout: Outcome;
  /** A 3DS-style extra step: the checkout asks for OTP 123456 before deciding. */
  otp: boolean;
  /** Outcome of later charges on the stored card, unless a test forced the next one. */
  renewals: Outcome;
  brand: string;
  /** Paystack `authorization.reusable`: false for cards that can be charged only with the customer present. */
  reusable: boolean;
}

export const SANDBOX_OTP = '123456';

const card = (number: string, label: string, checkout: Outcome, renewals: Outcome, otp = false, reusable = true): TestCard => ({
  number,
  label,
  checkout,
  renewals,
  otp,
  reusable,
  brand: number.startsWith('5') ? 'mastercard' : 'visa',
});

/** Documented in sandbox/README.md; the gateway-specific numbers are those gateways' own published test cards. */
export const TEST_CARDS: readonly TestCard[] = [
  card('4084084084084081', 'Success', 'success', 'success'),
  card('4000000000003220', 'Success after OTP (3DS)', 'success', 'success', true),
  card('4000000000000002', 'Declined', 'decline', 'decline'),
  card('4000000000009995', 'Insufficient funds', 'insufficient_funds', 'insufficient_funds'),
  card('4000000000000341', 'Pays at checkout, then every charge of the stored card is declined (insufficient funds)', 'success', 'insufficient_funds'),
  card('4000000000000077', 'Pays at checkout, but the authorization is not reusable (Paystack reusable: false)', 'success', 'decline', false, false),
  card('5531886652142950', 'Flutterwave test Mastercard (OTP)', 'success', 'success', true),
  card('5438898014560229', 'Flutterwave 3DS Mastercard (OTP)', 'success', 'success', true),
  card('5258585922666506', 'Flutterwave insufficient funds', 'insufficient_funds', 'insufficient_funds'),
  card('4100280000001007', 'Razorpay test Visa', 'success', 'success'),
  card('5500670000001002', 'Razorpay test Mastercard', 'success', 'success'),
  card('4100280000080001', 'Razorpay insufficient funds', 'insufficient_funds', 'insufficient_funds'),
];

export const findCard = (number: string): TestCard | undefined => TEST_CARDS.find((c) => c.number === number.replace(/[\s-]/g, ''));
