import type { Collections } from '../db/collections';
import type { NodeDoc } from '../db/documents';
import type {
  InboundSupply,
  LineToSource,
  NetworkNode,
  SourcingRequest,
} from '../domain/sourcing/sourcing-request';
import { nextInbound } from '../inventory/inbound-repository';
import { createStockRepository, type PoolCaller } from '../inventory/stock-repository';
import { capacityDay, usedCapacity } from '../network/node-capacity';

/** Weight assumed for a SKU the catalogue does not know, so it can still be priced. */
export const DEFAULT_WEIGHT_GRAMS = 500;

/** What to read: the SKUs, who sells them, and the instant whose day the nodes' used capacity counts for. */
export interface NetworkSnapshotQuery {
  skus: readonly string[];
  caller: PoolCaller;
  /** ISO 8601 instant. */
  now: string;
}

/** What the sourcing engine needs from the database for some SKUs, as seen by one caller at one instant. */
export interface NetworkSnapshot {
  /** Every node, with the orders it has already taken on the day of `now`. */
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
export function toNetworkNode(doc: NodeDoc, usedToday: number): NetworkNode {
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

/** What an engine request takes besides the delivery: the moment, the lines to source and their options. */
export interface SourcingAsk {
  now: string;
  lines: readonly Pick<LineToSource, 'lineId' | 'sku' | 'quantity'>[];
  shipComplete?: boolean;
}

/** The engine's request on this snapshot, all but the delivery: lines weighed, network, stock and inbound. */
export function requestOnSnapshot(
  snapshot: NetworkSnapshot,
  ask: SourcingAsk,
): Omit<SourcingRequest, 'delivery'> {
  return {
    now: ask.now,
    lines: ask.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      weightGrams: snapshot.weightGrams[line.sku] ?? DEFAULT_WEIGHT_GRAMS,
    })),
    ...(ask.shipComplete !== undefined ? { shipComplete: ask.shipComplete } : {}),
    availability: snapshot.availability,
    inbound: snapshot.inbound,
    nodes: snapshot.nodes,
  };
}

/** Supply still expected per SKU: the earliest shipment at each node. */
async function readInboundSupply(c: Collections, skus: string[]): Promise<Record<string, InboundSupply[]>> {
  const inbound: Record<string, InboundSupply[]> = {};
  for (const [sku, next] of await nextInbound(c, skus)) {
    inbound[sku] = next.nodes.map(({ nodeId, quantity, expectedAt }) => ({ nodeId, quantity, expectedAt }));
  }
  return inbound;
}

/** Every stored node, and each as the engine sees it with the orders it has taken on the day of `now`. */
async function readNetworkNodes(
  c: Collections,
  now: string,
): Promise<Pick<NetworkSnapshot, 'nodes' | 'nodeDocs'>> {
  const docs = await c.nodes.find({}).toArray(); // a network is tens of nodes: one small scan
  const used = await usedCapacity(
    c,
    docs.map((doc) => doc._id),
    capacityDay(now),
  );
  return {
    nodes: docs.map((doc) => toNetworkNode(doc, used.get(doc._id) ?? 0)),
    nodeDocs: new Map(docs.map((doc) => [doc._id, doc])),
  };
}

/**
 * Reads nodes with today's load, the caller's availability (`_id` lookups via the SKU directory), inbound
 * supply and unit weights in parallel: the one snapshot a checkout promise and the order's sourcing decide from.
 */
export async function readNetworkSnapshot(
  c: Collections,
  { skus, caller, now }: NetworkSnapshotQuery,
): Promise<NetworkSnapshot> {
  const unique = [...new Set(skus)];
  const [network, bySku, inbound, weightGrams] = await Promise.all([
    readNetworkNodes(c, now),
    createStockRepository(c).availabilityFor(unique, caller),
    readInboundSupply(c, unique),
    readUnitWeights(c, unique),
  ]);
  const availability: SourcingRequest['availability'] = {};
  for (const [sku, nodes] of bySku) {
    availability[sku] = Object.fromEntries(nodes.map((node) => [node.nodeId, node.available]));
  }
  return { ...network, availability, inbound, weightGrams };
}

/** Units already reserved for an order at one node (a cart hold it takes over): sku → units. */
export interface HeldUnits {
  nodeId: string;
  units: Record<string, number>;
}

/**
 * The snapshot of an order whose units are already held at one node: the real network with today's load,
 * but only the held units as stock (no inbound), so the engine plans exactly those units, with true
 * distances, costs, capacity and promised dates.
 */
export async function readHeldSnapshot(
  c: Collections,
  { skus, now }: Omit<NetworkSnapshotQuery, 'caller'>,
  held: HeldUnits,
): Promise<NetworkSnapshot> {
  const unique = [...new Set(skus)];
  const [network, weightGrams] = await Promise.all([readNetworkNodes(c, now), readUnitWeights(c, unique)]);
  const availability: SourcingRequest['availability'] = Object.fromEntries(
    unique.map((sku) => [sku, { [held.nodeId]: held.units[sku] ?? 0 }]),
  );
  return { ...network, availability, inbound: {}, weightGrams };
}

/** sku → weight of one unit, DEFAULT_WEIGHT_GRAMS for a SKU the catalogue does not know. */
async function readUnitWeights(c: Collections, skus: string[]): Promise<Record<string, number>> {
  const products = await c.products
    .find({ _id: { $in: skus } }, { projection: { weightGrams: 1 } })
    .toArray();
  const weightGrams = Object.fromEntries(skus.map((sku) => [sku, DEFAULT_WEIGHT_GRAMS]));
  for (const product of products) weightGrams[product._id] = product.weightGrams;
  return weightGrams;
}
