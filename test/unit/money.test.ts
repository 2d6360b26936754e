import { fromMajorUnits, toMajorUnitString, formatMoney } from '../../src/shared/money';

describe('money conversion at the gateway edge', () => {
  it.each([
    [150050, 'NGN', '1500.50'],
    [5, 'ZAR', '0.05'],
    [100, 'INR', '1.00'],
    [0, 'KES', '0.00'],
    [2500, 'XOF', '2500'],
    [295990, 'KWD', '295.990'],
  ] as const)('%i %s minor units is %s major', (minor, currency, major) => {
    expect(toMajorUnitString(minor, currency)).toBe(major);
    expect(fromMajorUnits(major, currency)).toBe(minor);
  });

  it('parses floats from JSON without binary rounding errors', () => {
    expect(fromMajorUnits(1500.5, 'NGN')).toBe(150050);
    expect(fromMajorUnits(0.1 + 0.2, 'USD')).toBe(30);
    expect(fromMajorUnits(19.99, 'GHS')).toBe(1999);
  });

  it('refuses amounts more precise than the currency', () => {
    expect(() => fromMajorUnits('10.005', 'NGN')).toThrow(/precision/);
    expect(() => fromMajorUnits('1.5', 'XOF')).toThrow(/precision/);
    expect(fromMajorUnits('10.500', 'NGN')).toBe(1050);
  });

  it('refuses negatives, garbage and non-integers', () => {
    expect(() => fromMajorUnits('-1', 'NGN')).toThrow(RangeError);
    expect(() => fromMajorUnits('abc', 'NGN')).toThrow(RangeError);
    expect(() => toMajorUnitString(1.5, 'NGN')).toThrow(RangeError);
    expect(() => toMajorUnitString(-100, 'NGN')).toThrow(RangeError);
  });

  it('formats for people', () => {
    expect(formatMoney({ amount: 500000, currency: 'NGN' })).toBe('NGN 5000.00');
  });
});
