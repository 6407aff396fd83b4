import type { Collections } from '../src/db/collections';
import type { Delivery, OrderLineRequest } from '../src/domain/order-request';
import { markRejectingNodes, withoutStockAt } from '../src/domain/sourcing/exclude-rejecting-nodes';
import { sourceOrder } from '../src/domain/sourcing/source-order';
import type { DeliveryToSource, SourcingRequest } from '../src/domain/sourcing/sourcing-request';
import type { SourcingResult } from '../src/domain/sourcing/sourcing-result';
import { readNetworkSnapshot, requestOnSnapshot } from '../src/sourcing-snapshot/network-snapshot';
import type { ActivityDeps } from './deps';

export { DEFAULT_WEIGHT_GRAMS } from '../src/sourcing-snapshot/network-snapshot';

export interface PlanSourcingInput {
  lines: Pick<OrderLineRequest, 'lineId' | 'sku' | 'quantity'>[];
  delivery: Delivery;
  shipComplete?: boolean;
  /** The selling channel: stock held for it counts as available to this order. */
  channel: string;
  /** Workflow time, so a retried attempt plans for the same moment. */
  now: string;
  /** Nodes whose stock of these units does not count (they just rejected them); named in the decision record. */
  excludeNodeIds?: string[];
}

/** The order's delivery as the engine takes it. */
export function toDeliveryToSource(delivery: Delivery): DeliveryToSource {
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

/** Builds the engine's request from the database: network, today's load, stock the channel may sell, inbound, weights. */
export async function buildSourcingRequest(
  c: Collections,
  input: PlanSourcingInput,
): Promise<SourcingRequest> {
  const snapshot = await readNetworkSnapshot(c, {
    skus: input.lines.map((line) => line.sku),
    caller: { channel: input.channel },
    now: input.now,
  });
  return { ...requestOnSnapshot(snapshot, input), delivery: toDeliveryToSource(input.delivery) };
}

/** Sourcing: the engine's plan for the order on a fresh snapshot of the network and its stock. */
export function createSourcingActivities({ collections }: ActivityDeps) {
  return {
    async planSourcing(input: PlanSourcingInput): Promise<SourcingResult> {
      const excluded = input.excludeNodeIds ?? [];
      const request = withoutStockAt(await buildSourcingRequest(collections, input), excluded);
      return markRejectingNodes(sourceOrder(request), excluded);
    },
  };
}
