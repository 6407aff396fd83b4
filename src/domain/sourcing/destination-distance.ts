import { haversineKm, type GeoPoint } from '../geo';
import type { ShipDestination } from './sourcing-request';

/** Distances assumed when the address has no coordinates, from what the postcode and country share. */
export const ESTIMATED_DISTANCE_KM = {
  samePostcodeArea: 30,
  samePostcodeRegion: 150,
  sameCountry: 500,
  abroadOrUnknown: 1000,
} as const;

const sharedPrefixLength = (a: string, b: string): number => {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
};

/**
 * Kilometres from a node to a ship destination: great-circle when the destination has coordinates;
 * otherwise a coarse estimate (same 2-digit postcode area, same 1-digit region, same country, abroad).
 */
export function distanceToDestinationKm(
  node: GeoPoint & { postalCode?: string; country?: string },
  destination: ShipDestination,
): number {
  if (destination.lat !== undefined && destination.lon !== undefined) {
    return haversineKm(node, { lat: destination.lat, lon: destination.lon });
  }
  if (!destination.country || node.country !== destination.country)
    return ESTIMATED_DISTANCE_KM.abroadOrUnknown;
  const prefix = sharedPrefixLength(node.postalCode ?? '', destination.postalCode ?? '');
  if (prefix >= 2) return ESTIMATED_DISTANCE_KM.samePostcodeArea;
  if (prefix === 1) return ESTIMATED_DISTANCE_KM.samePostcodeRegion;
  return ESTIMATED_DISTANCE_KM.sameCountry;
}
