import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { CarrierEventType } from '../../workflows/order.messages';

/** Where carrier tracking events are recorded, one document per distinct event. */
export const CARRIER_EVENTS_COLLECTION = 'carrier_events';

/**
 * What became of a recorded event: passed to the workflow that follows the parcel, or kept only because
 * that workflow has ended (a late or repeated event changes nothing, and the carrier must not retry it).
 */
export const CARRIER_EVENT_DELIVERIES = ['signalled', 'fulfillment_closed', 'order_closed'] as const;
export type CarrierEventDelivery = (typeof CARRIER_EVENT_DELIVERIES)[number];

/** A carrier event as received; `_id` names the event (tracking number, event, instant), so it is stored once. */
export interface CarrierEventDoc {
  _id: string;
  trackingNumber: string;
  event: CarrierEventType;
  at: string;
  fulfillmentId: string;
  orderId: string;
  /** The carrier's API key (`role:label`). */
  actor: string;
  receivedAt: string;
  /** When MongoDB may drop the record (TTL index, `src/db/retention.ts`). */
  expireAt?: Date;
  delivery?: CarrierEventDelivery;
  deliveredAt?: string;
}

/** The recorded event, and whether it had been received before. */
export interface RecordedCarrierEvent {
  doc: CarrierEventDoc;
  duplicate: boolean;
}

export const carrierEventsOf = (db: Db): Collection<CarrierEventDoc> =>
  db.collection<CarrierEventDoc>(CARRIER_EVENTS_COLLECTION);

/** The identity of an event: carriers send no event id, so the same parcel, event and instant are one event. */
export const carrierEventId = (event: { trackingNumber: string; event: string; at: string }): string =>
  `${event.trackingNumber}:${event.event}:${new Date(event.at).toISOString()}`;

/** Records the event unless it was received before; answers the first record either way. */
export async function recordCarrierEvent(
  events: Collection<CarrierEventDoc>,
  doc: CarrierEventDoc,
): Promise<RecordedCarrierEvent> {
  try {
    await events.insertOne(doc);
    return { doc, duplicate: false };
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    const first = await events.findOne({ _id: doc._id });
    return { doc: first ?? doc, duplicate: true };
  }
}

/** Notes what became of the event, so a redelivery is answered without signalling again. */
export async function markCarrierEventDelivered(
  events: Collection<CarrierEventDoc>,
  id: string,
  delivery: CarrierEventDelivery,
): Promise<void> {
  await events.updateOne({ _id: id }, { $set: { delivery, deliveredAt: new Date().toISOString() } });
}
