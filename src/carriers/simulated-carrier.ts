import { createHash } from 'node:crypto';
import { TransientCarrierError, type BookedShipment, type CarrierGateway } from './carrier-gateway';
import { parcelTransit } from './carrier-transit';

export const SIMULATED_CARRIER = 'SIMPOST';

/** `SIM` + 12 digits derived from the fulfilment id: the same booking always gets the same number. */
export function simulatedTrackingNumber(fulfillmentId: string): string {
  const digest = createHash('sha256').update(fulfillmentId).digest();
  return `SIM${(digest.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0')}`;
}

/**
 * Whether the simulated carrier loses this parcel, at `lostRate` of all parcels: decided by the fulfilment
 * id alone, so every retry and every replay of the simulation agrees.
 */
export function isSimulatedParcelLost(fulfillmentId: string, lostRate: number): boolean {
  if (lostRate <= 0) return false;
  const digest = createHash('sha256').update(`lost:${fulfillmentId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < lostRate;
}

export interface SimulatedCarrierOptions {
  /** Share of bookings that fail transiently (half before, half after the booking is made). */
  failureRate?: number;
  latencyMs?: { min: number; max: number };
  random?: () => number;
  labelBaseUrl?: string;
}

/**
 * A carrier simulator. Bookings are a pure function of the fulfilment id, so a retried booking
 * (even after a failure "after" booking) is deduplicated by construction.
 */
export function createSimulatedCarrier(options: SimulatedCarrierOptions = {}): CarrierGateway {
  const {
    failureRate = 0,
    latencyMs = { min: 2, max: 20 },
    random = Math.random,
    labelBaseUrl = 'https://labels.simpost.invalid',
  } = options;
  const maybeFail = (when: string): void => {
    if (failureRate > 0 && random() < failureRate / 2)
      throw new TransientCarrierError(`simulated carrier timeout ${when} booking`);
  };
  return {
    async bookShipment(request): Promise<BookedShipment> {
      maybeFail('before');
      await new Promise((resolve) =>
        setTimeout(resolve, latencyMs.min + random() * Math.max(0, latencyMs.max - latencyMs.min)),
      );
      const trackingNumber = simulatedTrackingNumber(request.fulfillmentId);
      maybeFail('after');
      const transit =
        request.from && request.to
          ? parcelTransit(
              request.from,
              request.to,
              request.shippedAt ? Date.parse(request.shippedAt) : Date.now(),
              request.speed,
            )
          : undefined;
      return {
        carrier: SIMULATED_CARRIER,
        trackingNumber,
        labelUrl: `${labelBaseUrl}/${trackingNumber}.pdf`,
        ...(transit
          ? { transitDays: transit.transitDays, expectedDeliveryDate: transit.expectedDeliveryDate }
          : {}),
      };
    },
  };
}
