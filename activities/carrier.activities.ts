import type { BookedShipment, ParcelPlace } from '../src/carriers/carrier-gateway';
import { DELIVERY_SPEEDS, type DeliverySpeed } from '../src/domain/promise/promise-defaults';
import type { ActivityDeps } from './deps';

export interface BookShipmentInput {
  orderId: string;
  fulfillmentId: string;
  nodeId: string;
  /** The destination; an order Address fits (its extra fields are ignored). */
  to?: ParcelPlace;
  /** A transfer to another node (a pickup store): the parcel goes to that node's location instead of `to`. */
  toNodeId?: string;
  /** The delivery speed; when absent, the order's speed at booking time (an agent may have changed it). */
  speed?: DeliverySpeed;
  /** The fulfilment child that owns the parcel: carrier webhooks signal it (the order when absent, v1). */
  workflowId?: string;
}

export type BookShipmentResult = Pick<
  BookedShipment,
  'trackingNumber' | 'carrier' | 'labelUrl' | 'expectedDeliveryDate'
>;

/** Carrier activities: one booking per fulfilment, recorded so webhooks find the parcel's workflow by tracking number. */
export function createCarrierActivities({ collections, carrier }: ActivityDeps) {
  /** The speed the order asks for now, from its read model (the child started before any change). */
  async function orderSpeed(orderId: string): Promise<DeliverySpeed | undefined> {
    const order = await collections.orders.findOne({ _id: orderId }, { projection: { delivery: 1 } });
    // The view's delivery is the request as the order holds it; only a known speed is passed on.
    const speed: unknown = (order?.delivery as { speed?: unknown } | undefined)?.speed;
    return DELIVERY_SPEEDS.find((known) => known === speed);
  }

  /** Where a destination node is; a node we do not know leaves the carrier without a distance band. */
  async function nodeLocation(nodeId: string): Promise<ParcelPlace | undefined> {
    const node = await collections.nodes.findOne({ _id: nodeId }, { projection: { location: 1 } });
    return node?.location;
  }

  return {
    async bookShipment(input: BookShipmentInput): Promise<BookShipmentResult> {
      const known = await collections.fulfillments.findOne({ _id: input.fulfillmentId });
      if (known?.trackingNumber && known.carrier) {
        const shipment = await collections.shipments.findOne({ _id: known.trackingNumber });
        if (shipment)
          return {
            trackingNumber: shipment._id,
            carrier: shipment.carrier,
            labelUrl: shipment.labelUrl,
            ...(shipment.expectedDeliveryDate ? { expectedDeliveryDate: shipment.expectedDeliveryDate } : {}),
          };
      }
      const to = input.toNodeId ? await nodeLocation(input.toNodeId) : input.to;
      // The node's location gives the carrier its distance band, hence the expected delivery day.
      const node = to ? await collections.nodes.findOne({ _id: input.nodeId }) : null;
      const speed = input.speed ?? (input.to ? await orderSpeed(input.orderId) : undefined);
      const booked = await carrier.bookShipment({
        fulfillmentId: input.fulfillmentId,
        orderId: input.orderId,
        fromNodeId: input.nodeId,
        ...(node ? { from: node.location } : {}),
        ...(to
          ? {
              to: {
                postalCode: to.postalCode,
                country: to.country,
                ...(to.lat !== undefined && to.lon !== undefined ? { lat: to.lat, lon: to.lon } : {}),
              },
            }
          : {}),
        ...(speed ? { speed } : {}),
      });
      // Shipment first: once the fulfilment shows a tracking number, webhooks for it must resolve.
      await collections.shipments.updateOne(
        { _id: booked.trackingNumber },
        {
          $setOnInsert: {
            fulfillmentId: input.fulfillmentId,
            orderId: input.orderId,
            carrier: booked.carrier,
            labelUrl: booked.labelUrl,
            ...(input.workflowId ? { workflowId: input.workflowId } : {}),
            ...(booked.expectedDeliveryDate ? { expectedDeliveryDate: booked.expectedDeliveryDate } : {}),
            createdAt: new Date().toISOString(),
          },
        },
        { upsert: true },
      );
      await collections.fulfillments.updateOne(
        { _id: input.fulfillmentId },
        { $set: { trackingNumber: booked.trackingNumber, carrier: booked.carrier } },
      );
      return {
        trackingNumber: booked.trackingNumber,
        carrier: booked.carrier,
        labelUrl: booked.labelUrl,
        ...(booked.expectedDeliveryDate ? { expectedDeliveryDate: booked.expectedDeliveryDate } : {}),
      };
    },
  };
}
