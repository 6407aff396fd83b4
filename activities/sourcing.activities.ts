import type { Collections } from '../src/db/collections';
import type { NodeDoc } from '../src/db/documents';
import type { Delivery, OrderLineRequest } from '../src/domain/order-request';
import { sourceOrder } from '../src/domain/sourcing/source-order';
import type {
  DeliveryToSource,
  InboundSupply,
  NetworkNode,
  SourcingRequest,
} from '../src/domain/sourcing/sourcing-request';
import type { SourcingResult } from '../src/domain/sourcing/sourcing-result';
import { nextInbound } from '../src/inventory/inbound-repository';
import { createStockRepository } from '../src/inventory/stock-repository';
import { capacityDay, usedCapacity } from '../src/network/node-capacity';
import type { ActivityDeps } from './deps';

/** Weight assumed for a SKU the catalogue does not know, so it can still be priced. */
export const DEFAULT_WEIGHT_GRAMS = 500;

export interface PlanSourcingInput {
  lines: Pick<OrderLineRequest, 'lineId' | 'sku' | 'quantity'>[];
  delivery: Delivery;
  shipComplete?: boolean;
  /** The selling channel: stock held for it counts as available to this order. */
  channel: string;
  /** Workflow time, so a retried attempt plans for the same moment. */
  now: string;
}

const toNetworkNode = (doc: NodeDoc, usedToday: number): NetworkNode => ({
  nodeId: doc._id,
  type: doc.type,
  location: doc.location,
  capabilities: doc.capabilities,
  usedToday,
  ...(doc.dailyOrderCapacity !== undefined ? { dailyOrderCapacity: doc.dailyOrderCapacity } : {}),
  ...(doc.priority !== undefined ? { priority: doc.priority } : {}),
});

function toDeliveryToSource(delivery: Delivery): DeliveryToSource {
  if (delivery.method === 'pickup') return { method: 'pickup', pickupNodeId: delivery.pickupNodeId ?? '' };
  const address = delivery.address;
  return {
    method: 'ship',
    ...(delivery.speed ? { speed: delivery.speed } : {}),
    destination: {
      ...(address?.lat !== undefined && address.lon !== undefined
        ? { lat: address.lat, lon: address.lon }
        : {}),
      ...(address ? { postalCode: address.postalCode, country: address.country } : {}),
    },
  };
}

async function weightsOf(c: Collections, skus: string[]): Promise<Map<string, number>> {
  const products = await c.products
    .find({ _id: { $in: skus } }, { projection: { weightGrams: 1 } })
    .toArray();
  return new Map(products.map((product) => [product._id, product.weightGrams]));
}

async function inboundOf(c: Collections, skus: string[]): Promise<Record<string, InboundSupply[]>> {
  const inbound: Record<string, InboundSupply[]> = {};
  for (const [sku, next] of await nextInbound(c, skus)) {
    inbound[sku] = next.nodes.map(({ nodeId, quantity, expectedAt }) => ({ nodeId, quantity, expectedAt }));
  }
  return inbound;
}

/** Builds the engine's request from the database: network, today's load, stock the channel may sell, inbound, weights. */
export async function buildSourcingRequest(
  c: Collections,
  input: PlanSourcingInput,
): Promise<SourcingRequest> {
  const skus = [...new Set(input.lines.map((line) => line.sku))];
  const stock = createStockRepository(c);
  const [nodeDocs, stockBySku, weights, inbound] = await Promise.all([
    c.nodes.find({}).toArray(), // a network is tens of nodes: one small scan
    stock.availabilityFor(skus, { channel: input.channel }),
    weightsOf(c, skus),
    inboundOf(c, skus),
  ]);
  const used = await usedCapacity(
    c,
    nodeDocs.map((doc) => doc._id),
    capacityDay(input.now),
  );
  const availability: SourcingRequest['availability'] = {};
  for (const [sku, nodes] of stockBySku) {
    availability[sku] = Object.fromEntries(nodes.map((entry) => [entry.nodeId, entry.available]));
  }
  return {
    now: input.now,
    lines: input.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      weightGrams: weights.get(line.sku) ?? DEFAULT_WEIGHT_GRAMS,
    })),
    delivery: toDeliveryToSource(input.delivery),
    ...(input.shipComplete !== undefined ? { shipComplete: input.shipComplete } : {}),
    availability,
    inbound,
    nodes: nodeDocs.map((doc) => toNetworkNode(doc, used.get(doc._id) ?? 0)),
  };
}

/** Sourcing: the engine's plan for the order on a fresh snapshot of the network and its stock. */
export function createSourcingActivities({ collections }: ActivityDeps) {
  return {
    async planSourcing(input: PlanSourcingInput): Promise<SourcingResult> {
      return sourceOrder(await buildSourcingRequest(collections, input));
    },
  };
}
