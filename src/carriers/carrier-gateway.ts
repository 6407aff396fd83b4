/** What the OMS asks of a carrier: book a parcel, get a label and a tracking number. */
export interface CarrierGateway {
  /** Books once per fulfilment: a retry with the same fulfilmentId returns the same label. */
  bookShipment(request: BookShipmentRequest): Promise<BookedShipment>;
}

export interface BookShipmentRequest {
  fulfillmentId: string;
  orderId: string;
  fromNodeId: string;
  to?: { postalCode: string; country: string };
}

export interface BookedShipment {
  carrier: string;
  trackingNumber: string;
  labelUrl: string;
}

/** The carrier could not answer this time; the same booking may be retried. */
export class TransientCarrierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientCarrierError';
  }
}
