import type { Delivery } from '../src/domain/order-request';
import { promiseDelivery } from '../src/domain/promise/promise-delivery';
import type { NodeKind } from '../src/domain/promise/promise-defaults';
import { distanceToDestinationKm } from '../src/domain/sourcing/destination-distance';
import type { ActivityDeps } from './deps';
import { toDeliveryToSource } from './sourcing.activities';

export interface QuoteNodePromiseInput {
  nodeId: string;
  /** The order's delivery (a ship address; pickup orders get no quote). */
  delivery: Delivery;
  /** Workflow time, so a retried attempt quotes for the same moment. */
  now: string;
}

/** What a node would promise a shipped parcel to the delivery address, by the engine's promise rules. */
export interface NodePromiseQuote {
  nodeId: string;
  nodeType: NodeKind;
  distanceKm: number;
  promisedDate: string;
}

/** Delivery quotes: how well one node serves an address (used when an agent changes the address or speed). */
export function createDeliveryQuoteActivities({ collections }: ActivityDeps) {
  return {
    /** The node's promise to the delivery address; null for an unknown node or a pickup order. */
    async quoteNodePromise(input: QuoteNodePromiseInput): Promise<NodePromiseQuote | null> {
      const target = toDeliveryToSource(input.delivery);
      if (target.method !== 'ship') return null;
      const node = await collections.nodes.findOne({ _id: input.nodeId });
      if (!node) return null;
      const distanceKm = distanceToDestinationKm(node.location, target.destination);
      const { promisedDate } = promiseDelivery({
        now: input.now,
        node: { type: node.type },
        distanceKm,
        method: 'ship',
        ...(target.speed ? { speed: target.speed } : {}),
      });
      return { nodeId: node._id, nodeType: node.type, distanceKm, promisedDate };
    },
  };
}
