import type { CarrierGateway } from '../carriers/carrier-gateway';
import type { Collections } from '../db/collections';
import type { NodeDoc, ShipmentDoc } from '../db/documents';
import { isDuplicateKey } from '../inventory/ledger';
import type { Address } from '../domain/order-request';
import { haversineKm } from '../domain/geo';
import type { ReturnLabelView } from '../domain/returns/return-view';

/** The parcel id a return label is booked under (the carrier derives the tracking number from it). */
export const returnParcelId = (rmaId: string): string => `${rmaId}-RL`;

/**
 * Where a mailed return goes: the nearest node that takes returns (by coordinates when both have them, else
 * one in the same country, else any), warehouses before stores at equal distance, then by id.
 */
export function chooseReturnNode(nodes: readonly NodeDoc[], from?: Address): NodeDoc | undefined {
  const candidates = nodes.filter((node) => node.capabilities.includes('return'));
  const distance = (node: NodeDoc): number => {
    if (from?.lat !== undefined && from.lon !== undefined)
      return haversineKm({ lat: from.lat, lon: from.lon }, node.location);
    return from && node.location.country === from.country ? 0 : 1e6;
  };
  const rank = (node: NodeDoc): number => (node.type === 'warehouse' ? 0 : 1);
  return [...candidates].sort(
    (a, b) => distance(a) - distance(b) || rank(a) - rank(b) || a._id.localeCompare(b._id),
  )[0];
}

export interface ReturnLabelRequest {
  rmaId: string;
  orderId: string;
  /** Where the customer sends it from (the order's address; absent for a pickup order). */
  from?: Address;
  /** The workflow that follows the parcel: carrier webhooks for its tracking number signal it. */
  workflowId: string;
}

/**
 * Books the return parcel once per RMA (the carrier dedupes on the parcel id) and records the tracking
 * number in `shipments`, so the carrier webhook finds the RMA workflow. Undefined when no node takes returns.
 */
export async function createReturnLabel(
  c: Collections,
  carrier: CarrierGateway,
  request: ReturnLabelRequest,
): Promise<ReturnLabelView | undefined> {
  const node = chooseReturnNode(await c.nodes.find({}).toArray(), request.from);
  if (!node) return undefined;
  const parcelId = returnParcelId(request.rmaId);
  const booked = await carrier.bookShipment({
    fulfillmentId: parcelId,
    orderId: request.orderId,
    fromNodeId: 'customer',
    to: {
      postalCode: node.location.postalCode,
      country: node.location.country,
      lat: node.location.lat,
      lon: node.location.lon,
    },
  });
  await recordReturnShipment(c, booked.trackingNumber, {
    fulfillmentId: parcelId,
    orderId: request.orderId,
    carrier: booked.carrier,
    labelUrl: booked.labelUrl,
    workflowId: request.workflowId,
  });
  return {
    carrier: booked.carrier,
    trackingNumber: booked.trackingNumber,
    labelUrl: booked.labelUrl,
    nodeId: node._id,
  };
}

/** Tracking number → the RMA workflow, written once (a retry or a racing writer finds it there). */
async function recordReturnShipment(
  c: Collections,
  trackingNumber: string,
  shipment: Omit<ShipmentDoc, '_id' | 'createdAt'>,
): Promise<void> {
  try {
    await c.shipments.updateOne(
      { _id: trackingNumber },
      { $setOnInsert: { ...shipment, createdAt: new Date().toISOString() } },
      { upsert: true },
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
