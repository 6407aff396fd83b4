import type { DeliverySpeed } from '../domain/promise/promise-defaults';

/** What the OMS asks of a carrier: book a parcel, get a label and a tracking number. */
export interface CarrierGateway {
  /** Books once per fulfilment: a retry with the same fulfilmentId returns the same label. */
  bookShipment(request: BookShipmentRequest): Promise<BookedShipment>;
}

/** A place a parcel leaves from or goes to; coordinates when known, else postcode and country. */
export interface ParcelPlace {
  postalCode: string;
  country: string;
  lat?: number;
  lon?: number;
}

export interface BookShipmentRequest {
  fulfillmentId: string;
  orderId: string;
  fromNodeId: string;
  /** Where the node is (its coordinates): the carrier's transit days depend on the distance. */
  from?: ParcelPlace & { lat: number; lon: number };
  to?: ParcelPlace;
  speed?: DeliverySpeed;
  /** When the parcel is handed over (ISO 8601); now when absent. */
  shippedAt?: string;
}

export interface BookedShipment {
  carrier: string;
  trackingNumber: string;
  labelUrl: string;
  /** Business days on the road, by distance band (when the carrier knows both ends). */
  transitDays?: number;
  /** The day the carrier expects to deliver (YYYY-MM-DD). */
  expectedDeliveryDate?: string;
}

/** The carrier could not answer this time; the same booking may be retried. */
export class TransientCarrierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientCarrierError';
  }
}
