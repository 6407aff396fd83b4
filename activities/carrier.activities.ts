import type { ActivityDeps } from './deps';

export interface BookShipmentInput {
  orderId: string;
  fulfillmentId: string;
  nodeId: string;
  to?: { postalCode: string; country: string };
}

/** Carrier activities: one booking per fulfilment, recorded so webhooks find the order by tracking number. */
export function createCarrierActivities({ collections, carrier }: ActivityDeps) {
  return {
    async bookShipment(
      input: BookShipmentInput,
    ): Promise<{ trackingNumber: string; carrier: string; labelUrl: string }> {
      const known = await collections.fulfillments.findOne({ _id: input.fulfillmentId });
      if (known?.trackingNumber && known.carrier) {
        const shipment = await collections.shipments.findOne({ _id: known.trackingNumber });
        if (shipment)
          return { trackingNumber: shipment._id, carrier: shipment.carrier, labelUrl: shipment.labelUrl };
      }
      const booked = await carrier.bookShipment({
        fulfillmentId: input.fulfillmentId,
        orderId: input.orderId,
        fromNodeId: input.nodeId,
        ...(input.to ? { to: input.to } : {}),
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
            createdAt: new Date().toISOString(),
          },
        },
        { upsert: true },
      );
      await collections.fulfillments.updateOne(
        { _id: input.fulfillmentId },
        { $set: { trackingNumber: booked.trackingNumber, carrier: booked.carrier } },
      );
      return booked;
    },
  };
}
