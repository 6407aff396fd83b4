import { dayNumberOf, isoDateOf } from '../domain/promise/business-days';
import { promiseFromDispatch } from '../domain/promise/promise-delivery';
import type { DeliverySpeed } from '../domain/promise/promise-defaults';
import { distanceToDestinationKm } from '../domain/sourcing/destination-distance';
import type { BookShipmentRequest } from './carrier-gateway';

/** A booking's transit: business days by distance band (the promise engine's table) and the expected day. */
export interface ParcelTransit {
  distanceKm: number;
  transitDays: number;
  expectedDeliveryDate: string;
}

/**
 * Transit of a parcel handed over at `shippedAtMs`: the same distance bands and business-day calendar as
 * the delivery promise, so the carrier's expected date and the customer's promise agree.
 */
export function parcelTransit(
  from: NonNullable<BookShipmentRequest['from']>,
  to: NonNullable<BookShipmentRequest['to']>,
  shippedAtMs: number,
  speed: DeliverySpeed = 'standard',
): ParcelTransit {
  const distanceKm = distanceToDestinationKm(from, to);
  const days = promiseFromDispatch(dayNumberOf(shippedAtMs), distanceKm, 'ship', speed);
  return {
    distanceKm,
    transitDays: days.transitDays,
    expectedDeliveryDate: isoDateOf(days.promisedDay),
  };
}
