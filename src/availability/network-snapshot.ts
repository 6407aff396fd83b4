import type { Collections } from '../db/collections';
import type { NodeDoc } from '../db/documents';
import type { InboundSupply, NetworkNode, SourcingRequest } from '../domain/sourcing/sourcing-request';
import { nextInbound } from '../inventory/inbound-repository';
import { createStockRepository, type PoolCaller } from '../inventory/stock-repository';

/** Weight assumed for a SKU the catalogue does not know, so it can still be priced (as the order's sourcing does). */
export const DEFAULT_WEIGHT_GRAMS = 500;

/** What the sourcing engine needs from the database for some SKUs, as seen by one caller. */
export interface NetworkSnapshot {
  nodes: NetworkNode[];
  /** sku → nodeId → units the caller may sell now (their own holds included). */
  availability: SourcingRequest['availability'];
  /** sku → supply still expected: the earliest shipment per node. */
  inbound: Record<string, InboundSupply[]>;
  /** sku → weight of one unit (DEFAULT_WEIGHT_GRAMS for a SKU the catalogue does not know). */
  weightGrams: Record<string, number>;
  /** The stored nodes by id (names and addresses for answers). */
  nodeDocs: Map<string, NodeDoc>;
}

/** A stored node as the engine sees it; `usedToday` is what it has already taken today. */
export function toNetworkNode(doc: NodeDoc, usedToday = 0): NetworkNode {
  return {
    nodeId: doc._id,
    type: doc.type,
    location: { ...doc.location },
    capabilities: [...doc.capabilities],
    usedToday,
    ...(doc.dailyOrderCapacity !== undefined ? { dailyOrderCapacity: doc.dailyOrderCapacity } : {}),
    ...(doc.priority !== undefined ? { priority: doc.priority } : {}),
  };
}

/** Supply still expected per SKU: the earliest shipment at each node (as the order's sourcing reads it). */
async function readInboundSupply(c: Collections, skus: string[]): Promise<Record<string, InboundSupply[]>> {
  const inbound: Record<string, InboundSupply[]> = {};
  for (const [sku, next] of await nextInbound(c, skus)) {
    inbound[sku] = next.nodes.map(({ nodeId, quantity, expectedAt }) => ({ nodeId, quantity, expectedAt }));
  }
  return inbound;
}

/**
 * Reads nodes, the caller's availability (`_id` lookups via the SKU directory), inbound supply and unit
 * weights in parallel: the snapshot a checkout promise and the order's sourcing both decide from.
 */
export async function readNetworkSnapshot(
  c: Collections,
  skus: string[],
  caller: PoolCaller = {},
): Promise<NetworkSnapshot> {
  const unique = [...new Set(skus)];
  const [nodeDocs, bySku, inbound, products] = await Promise.all([
    c.nodes.find({}).toArray(),
    createStockRepository(c).availabilityFor(unique, caller),
    readInboundSupply(c, unique),
    c.products.find({ _id: { $in: unique } }, { projection: { weightGrams: 1 } }).toArray(),
  ]);
  const availability: SourcingRequest['availability'] = {};
  for (const [sku, nodes] of bySku) {
    availability[sku] = Object.fromEntries(nodes.map((node) => [node.nodeId, node.available]));
  }
  const weightGrams = Object.fromEntries(unique.map((sku) => [sku, DEFAULT_WEIGHT_GRAMS]));
  for (const product of products) weightGrams[product._id] = product.weightGrams;
  return {
    nodes: nodeDocs.map((doc) => toNetworkNode(doc)),
    availability,
    inbound,
    weightGrams,
    nodeDocs: new Map(nodeDocs.map((doc) => [doc._id, doc])),
  };
}
