import type { NetworkNode, SourcingRequest } from '../../../src/domain/sourcing/sourcing-request';

/** A Wednesday morning, before every cut-off. */
export const WEDNESDAY_9AM = '2025-03-05T09:00:00Z';

/** Coordinates used across the sourcing specs. */
export const PLACES = {
  paris: { lat: 48.8566, lon: 2.3522 },
  parisNorth: { lat: 48.9866, lon: 2.4485 },
  lyon: { lat: 45.764, lon: 4.8357 },
  marseille: { lat: 43.2965, lon: 5.3698 },
  lille: { lat: 50.6292, lon: 3.0573 },
  milano: { lat: 45.4642, lon: 9.19 },
} as const;

/** A node with sensible defaults: a warehouse that ships, no capacity limit, no priority. */
export function node(
  nodeId: string,
  place: { lat: number; lon: number },
  extra: Partial<NetworkNode> = {},
): NetworkNode {
  return {
    nodeId,
    type: 'warehouse',
    location: { ...place },
    capabilities: ['ship'],
    usedToday: 0,
    ...extra,
  };
}

/** A store that ships and offers pickup. */
export const store = (
  nodeId: string,
  place: { lat: number; lon: number },
  extra: Partial<NetworkNode> = {},
): NetworkNode => node(nodeId, place, { type: 'store', capabilities: ['ship', 'pickup'], ...extra });

/** An order line of 1 kg per unit unless told otherwise. */
export const line = (lineId: string, sku: string, quantity = 1, weightGrams = 1000) => ({
  lineId,
  sku,
  quantity,
  weightGrams,
});

/** A standard-speed ship request to Paris with the given lines, nodes and stock (sku → node → units). */
export function shipRequest(
  lines: SourcingRequest['lines'],
  nodes: NetworkNode[],
  availability: SourcingRequest['availability'],
  extra: Partial<SourcingRequest> = {},
): SourcingRequest {
  return {
    now: WEDNESDAY_9AM,
    lines,
    delivery: { method: 'ship', destination: { ...PLACES.paris } },
    availability,
    nodes,
    ...extra,
  };
}

/** Node ids of the parcels, in result order. */
export const parcelNodes = (result: { allocations: { nodeId: string }[] }): string[] =>
  result.allocations.map((allocation) => allocation.nodeId);
