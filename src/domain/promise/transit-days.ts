import { TRANSIT_BANDS, TRANSIT_DAYS_BEYOND_BANDS, type DeliverySpeed } from './promise-defaults';

/** Carrier transit in business days for a distance: standard by band; express about half, at least one. */
export function transitDays(distanceKm: number, speed: DeliverySpeed = 'standard'): number {
  const band = TRANSIT_BANDS.find((entry) => distanceKm <= entry.maxKm);
  const standard = band?.days ?? TRANSIT_DAYS_BEYOND_BANDS;
  return speed === 'express' ? Math.max(1, Math.ceil(standard / 2)) : standard;
}
