import type { Delivery } from '../src/domain/order-request';
import {
  rankSourcingNodes,
  type SourcingDestination,
  type SourcingNode,
} from '../src/domain/choose-nearest-node';
import { createStockRepository } from '../src/inventory/stock-repository';
import type { ActivityDeps } from './deps';

export interface PlanSourcingInput {
  lines: { sku: string; quantity: number }[];
  delivery: Delivery;
}

const toDestination = (delivery: Delivery): SourcingDestination | null => {
  if (delivery.method === 'pickup')
    return delivery.pickupNodeId ? { method: 'pickup', pickupNodeId: delivery.pickupNodeId } : null;
  return delivery.address ? { method: 'ship', address: delivery.address } : null;
};

/** Sourcing: which nodes could serve the whole order right now, best first. */
export function createSourcingActivities({ collections }: ActivityDeps) {
  const stock = createStockRepository(collections);
  return {
    async planSourcing({ lines, delivery }: PlanSourcingInput): Promise<{ candidates: string[] }> {
      const destination = toDestination(delivery);
      if (!destination) return { candidates: [] };
      const nodeDocs =
        destination.method === 'pickup'
          ? await collections.nodes.find({ _id: destination.pickupNodeId }).toArray()
          : await collections.nodes.find({}).toArray(); // a network is tens of nodes: one small scan
      const nodes: SourcingNode[] = nodeDocs.map((doc) => ({
        nodeId: doc._id,
        location: doc.location,
        capabilities: doc.capabilities,
        ...(doc.priority !== undefined ? { priority: doc.priority } : {}),
      }));
      const availability = await stock.availabilityFor([...new Set(lines.map((line) => line.sku))]);
      return { candidates: rankSourcingNodes({ nodes, lines, availability, destination }) };
    },
  };
}
