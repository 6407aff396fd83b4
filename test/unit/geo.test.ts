import fc from 'fast-check';
import { haversineKm } from '../../src/domain/geo';

describe('haversineKm', () => {
  test('Paris to Lyon is about 392 km', () => {
    expect(haversineKm({ lat: 48.8566, lon: 2.3522 }, { lat: 45.764, lon: 4.8357 })).toBeCloseTo(392, -1);
  });

  test('a point is at distance zero from itself', () => {
    expect(haversineKm({ lat: 43.3, lon: 5.37 }, { lat: 43.3, lon: 5.37 })).toBe(0);
  });

  test('distance is symmetric and never more than half the circumference', () => {
    const point = fc.record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
    });
    fc.assert(
      fc.property(point, point, (a, b) => {
        const d = haversineKm(a, b);
        expect(d).toBeCloseTo(haversineKm(b, a), 6);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(20_016);
      }),
    );
  });
});
