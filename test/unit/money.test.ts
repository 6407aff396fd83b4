import { orderTotalMinor } from '../../src/domain/money';

describe('orderTotalMinor', () => {
  test('sums quantity times unit price over the lines', () => {
    expect(
      orderTotalMinor([
        { quantity: 2, unitPriceMinor: 4500 },
        { quantity: 1, unitPriceMinor: 12900 },
      ]),
    ).toBe(21900);
  });

  test('an order of free items totals zero', () => {
    expect(orderTotalMinor([{ quantity: 3, unitPriceMinor: 0 }])).toBe(0);
  });

  test('refuses a total that is not a safe integer', () => {
    expect(() => orderTotalMinor([{ quantity: 10_000, unitPriceMinor: Number.MAX_SAFE_INTEGER }])).toThrow(
      RangeError,
    );
  });
});
