import {
  promiseDate,
  promiseDelivery,
  type PromiseInput,
} from '../../../src/domain/promise/promise-delivery';
import { transitDays } from '../../../src/domain/promise/transit-days';
import {
  addBusinessDays,
  dayNumberOf,
  isoDateOf,
  isWeekend,
} from '../../../src/domain/promise/business-days';

// 2025-03-05 is a Wednesday.
const warehouse = { type: 'warehouse' as const };
const store = { type: 'store' as const };
const dropship = { type: 'dropship' as const };
const ship = (now: string, node: PromiseInput['node'], distanceKm = 10, extra: Partial<PromiseInput> = {}) =>
  promiseDelivery({ now, node, distanceKm, method: 'ship', ...extra });

describe('transit days by distance band', () => {
  test.each([
    [0, 1],
    [50, 1],
    [50.1, 2],
    [300, 2],
    [301, 3],
    [800, 3],
    [801, 5],
  ])('%d km takes %d business days standard', (km, days) => {
    expect(transitDays(km)).toBe(days);
  });

  test.each([
    [10, 1],
    [200, 1],
    [500, 2],
    [1500, 3],
  ])('%d km takes %d business days express (about half, at least one)', (km, days) => {
    expect(transitDays(km, 'express')).toBe(days);
  });
});

describe('business days', () => {
  test('skip Saturday and Sunday', () => {
    const friday = dayNumberOf(Date.parse('2025-03-07T12:00:00Z'));
    expect(isWeekend(friday)).toBe(false);
    expect(isWeekend(friday + 1)).toBe(true);
    expect(isWeekend(friday + 2)).toBe(true);
    expect(isoDateOf(addBusinessDays(friday, 1))).toBe('2025-03-10');
  });
});

describe('promiseDelivery', () => {
  test('a warehouse order before the cut-off is dispatched after one processing day', () => {
    expect(ship('2025-03-05T09:00:00Z', warehouse)).toEqual({
      dispatchDate: '2025-03-06',
      promisedDate: '2025-03-07',
      transitDays: 1,
    });
  });

  test('an order after the cut-off counts from the next day', () => {
    expect(ship('2025-03-05T14:00:00Z', warehouse).dispatchDate).toBe('2025-03-07');
  });

  test('transit skips the weekend', () => {
    // Dispatched Friday, 2 business days: Monday, Tuesday.
    expect(ship('2025-03-06T09:00:00Z', warehouse, 200).promisedDate).toBe('2025-03-11');
  });

  test('a warehouse does not work on weekends: a Saturday order is dispatched Tuesday', () => {
    expect(ship('2025-03-08T09:00:00Z', warehouse).dispatchDate).toBe('2025-03-11');
  });

  test('a store dispatches the same day before its cut-off', () => {
    expect(ship('2025-03-05T15:00:00Z', store).dispatchDate).toBe('2025-03-05');
    expect(ship('2025-03-05T16:00:00Z', store).dispatchDate).toBe('2025-03-06');
  });

  test('a drop-ship vendor takes three business days before dispatch', () => {
    expect(ship('2025-03-05T09:00:00Z', dropship).dispatchDate).toBe('2025-03-10');
  });

  test('express arrives sooner over a long distance', () => {
    const standard = ship('2025-03-05T09:00:00Z', warehouse, 900);
    const express = ship('2025-03-05T09:00:00Z', warehouse, 900, { speed: 'express' });
    expect(standard.promisedDate).toBe('2025-03-13');
    expect(express.promisedDate).toBe('2025-03-11');
  });

  test('node settings override the defaults of its kind', () => {
    const slow = { type: 'warehouse' as const, processingDays: 2, cutoffHourUtc: 8 };
    expect(ship('2025-03-05T09:00:00Z', slow).dispatchDate).toBe('2025-03-10');
  });

  test('backordered stock ships after it is received and processed', () => {
    const result = ship('2025-03-05T09:00:00Z', warehouse, 10, { availableFrom: '2025-03-10T10:00:00Z' });
    expect(result).toMatchObject({ dispatchDate: '2025-03-11', promisedDate: '2025-03-12' });
  });

  test('supply already received does not move the promise', () => {
    const before = ship('2025-03-05T09:00:00Z', warehouse, 10, { availableFrom: '2025-03-01T10:00:00Z' });
    expect(before).toEqual(ship('2025-03-05T09:00:00Z', warehouse));
  });

  test('click-and-collect from the store’s own stock is ready the same day, even on a Sunday', () => {
    const input = { now: '2025-03-09T10:00:00Z', node: store, distanceKm: 0, method: 'pickup' as const };
    expect(promiseDelivery(input)).toEqual({
      dispatchDate: '2025-03-09',
      promisedDate: '2025-03-09',
      transitDays: 0,
    });
  });

  test('click-and-collect with a transfer is ready when the standard carrier delivers to the store', () => {
    const transfer = promiseDelivery({
      now: '2025-03-05T09:00:00Z',
      node: warehouse,
      distanceKm: 400,
      method: 'pickup',
      speed: 'express',
    });
    expect(transfer).toEqual({ dispatchDate: '2025-03-06', promisedDate: '2025-03-11', transitDays: 3 });
  });

  test('promiseDate is the promised date alone', () => {
    expect(
      promiseDate({ now: '2025-03-05T09:00:00Z', node: warehouse, distanceKm: 10, method: 'ship' }),
    ).toBe('2025-03-07');
  });

  test('rejects a malformed instant', () => {
    expect(() => ship('yesterday', warehouse)).toThrow(RangeError);
  });
});
