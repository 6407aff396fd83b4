import { parcelTransit } from '../../src/carriers/carrier-transit';
import { createSimulatedCarrier, isSimulatedParcelLost } from '../../src/carriers/simulated-carrier';

const LYON = { lat: 45.764, lon: 4.8357, postalCode: '69001', country: 'FR' };
const VILLEURBANNE = { lat: 45.7719, lon: 4.8902, postalCode: '69100', country: 'FR' };
const PARIS = { lat: 48.8566, lon: 2.3522, postalCode: '75001', country: 'FR' };
const BERLIN = { lat: 52.52, lon: 13.405, postalCode: '10115', country: 'DE' };
// A Tuesday, before any cut-off: the parcel travels from Wednesday on.
const TUESDAY = Date.parse('2026-03-03T10:00:00.000Z');

describe('carrier transit by distance band', () => {
  test('a parcel across town takes one business day', () => {
    expect(parcelTransit(LYON, VILLEURBANNE, TUESDAY)).toMatchObject({
      transitDays: 1,
      expectedDeliveryDate: '2026-03-04',
    });
  });

  test('Lyon to Paris (about 390 km) takes three business days', () => {
    const transit = parcelTransit(LYON, PARIS, TUESDAY);
    expect(transit.distanceKm).toBeGreaterThan(300);
    expect(transit).toMatchObject({ transitDays: 3, expectedDeliveryDate: '2026-03-06' });
  });

  test('beyond the last band the parcel takes five business days, weekends not counted', () => {
    expect(parcelTransit(LYON, BERLIN, TUESDAY)).toMatchObject({
      transitDays: 5,
      expectedDeliveryDate: '2026-03-10',
    });
  });

  test('express halves the transit', () => {
    expect(parcelTransit(LYON, BERLIN, TUESDAY, 'express').transitDays).toBe(3);
  });

  test('without coordinates the postcode decides the band', () => {
    const transit = parcelTransit(LYON, { postalCode: '69003', country: 'FR' }, TUESDAY);
    expect(transit.transitDays).toBe(1);
  });
});

describe('simulated carrier bookings', () => {
  const request = { fulfillmentId: 'o-7-F1', orderId: 'o-7', fromNodeId: 'WH-LYON' };

  test('a booking that knows both ends answers the expected delivery date', async () => {
    const carrier = createSimulatedCarrier({ latencyMs: { min: 0, max: 0 } });
    const booked = await carrier.bookShipment({
      ...request,
      from: LYON,
      to: PARIS,
      shippedAt: new Date(TUESDAY).toISOString(),
    });
    expect(booked).toMatchObject({ transitDays: 3, expectedDeliveryDate: '2026-03-06' });
  });

  test('a booking without the origin has no expected date', async () => {
    const carrier = createSimulatedCarrier({ latencyMs: { min: 0, max: 0 } });
    const booked = await carrier.bookShipment({ ...request, to: PARIS });
    expect(booked.expectedDeliveryDate).toBeUndefined();
  });
});

describe('simulated lost parcels', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `o-${i}-F1`);

  test('none are lost at rate 0, all at rate 1', () => {
    expect(ids.some((id) => isSimulatedParcelLost(id, 0))).toBe(false);
    expect(ids.every((id) => isSimulatedParcelLost(id, 1))).toBe(true);
  });

  test('about the configured share is lost, and the same parcel always gets the same answer', () => {
    const lost = ids.filter((id) => isSimulatedParcelLost(id, 0.1)).length;
    expect(lost).toBeGreaterThan(150);
    expect(lost).toBeLessThan(250);
    expect(ids.map((id) => isSimulatedParcelLost(id, 0.1))).toEqual(
      ids.map((id) => isSimulatedParcelLost(id, 0.1)),
    );
  });
});
