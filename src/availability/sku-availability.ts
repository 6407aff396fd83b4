import type { Collections } from '../db/collections';
import { roundKm } from '../domain/sourcing/write-result';
import { distanceToDestinationKm } from '../domain/sourcing/destination-distance';
import type { ShipDestination } from '../domain/sourcing/sourcing-request';
import { nextInbound } from '../inventory/inbound-repository';
import { createStockRepository, type PoolCaller } from '../inventory/stock-repository';

/** Which SKUs, for whom, and optionally where the customer is (nodes then come nearest first). */
export interface SkuAvailabilityQuery extends PoolCaller {
  skus: string[];
  destination?: ShipDestination;
}

/** What one node may sell of a SKU; `distanceKm` to the destination when one was given. */
export interface NodeAvailabilityView {
  nodeId: string;
  available: number;
  distanceKm?: number;
}

/** The earliest supply still expected for a SKU. */
export interface NextInboundView {
  quantity: number;
  expectedAt: string;
  nodes: { nodeId: string; quantity: number; expectedAt: string }[];
}

/** Availability of one SKU across the network, as the asking channel/segment sees it. */
export interface SkuAvailability {
  sku: string;
  available: number;
  nodes: NodeAvailabilityView[];
  nextInbound?: NextInboundView;
}

/** True when the destination says enough to measure a distance (coordinates, a postcode or a country). */
export const hasLocation = (destination: ShipDestination | undefined): destination is ShipDestination =>
  destination !== undefined &&
  ((destination.lat !== undefined && destination.lon !== undefined) ||
    destination.postalCode !== undefined ||
    destination.country !== undefined);

/** Adds the distance to each node and sorts nearest first; nodes the network does not know come last. */
async function rankByDistance(
  c: Collections,
  items: SkuAvailability[],
  destination: ShipDestination,
): Promise<void> {
  const nodeIds = [...new Set(items.flatMap((item) => item.nodes.map((node) => node.nodeId)))];
  if (nodeIds.length === 0) return;
  const docs = await c.nodes.find({ _id: { $in: nodeIds } }, { projection: { location: 1 } }).toArray();
  const distance = new Map(
    // A postcode without a country is taken as domestic to each node.
    docs.map((doc) => [
      doc._id,
      roundKm(
        distanceToDestinationKm(doc.location, {
          ...destination,
          country: destination.country ?? doc.location.country,
        }),
      ),
    ]),
  );
  for (const item of items) {
    for (const node of item.nodes) {
      const km = distance.get(node.nodeId);
      if (km !== undefined) node.distanceKm = km;
    }
    item.nodes.sort(
      (a, b) => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || a.nodeId.localeCompare(b.nodeId),
    );
  }
}

/**
 * Per SKU, in the order asked: what the caller may sell now per node and in total (general availability
 * plus its own channel/segment holds), and the next inbound supply. Stock reads are `_id` lookups.
 */
export async function readSkuAvailability(
  c: Collections,
  query: SkuAvailabilityQuery,
): Promise<SkuAvailability[]> {
  const skus = [...new Set(query.skus)];
  const caller: PoolCaller = {
    ...(query.channel !== undefined ? { channel: query.channel } : {}),
    ...(query.segment !== undefined ? { segment: query.segment } : {}),
  };
  const [bySku, inbound] = await Promise.all([
    createStockRepository(c).availabilityFor(skus, caller),
    nextInbound(c, skus),
  ]);
  const items = skus.map((sku): SkuAvailability => {
    const nodes: NodeAvailabilityView[] = (bySku.get(sku) ?? []).map((node) => ({ ...node }));
    const next = inbound.get(sku);
    return {
      sku,
      available: nodes.reduce((sum, node) => sum + node.available, 0),
      nodes,
      ...(next ? { nextInbound: next } : {}),
    };
  });
  if (hasLocation(query.destination)) await rankByDistance(c, items, query.destination);
  return items;
}
