import {
  capacityDay,
  claimNodeCapacity,
  releaseNodeCapacity,
  type ClaimOutcome,
} from '../src/network/node-capacity';
import type { ActivityDeps } from './deps';

/** One order at one node, on the day of `at` (the instant the order was sourced, workflow time). */
export interface NodeCapacityInput {
  nodeId: string;
  orderId: string;
  at: string;
}

const claimOf = ({ nodeId, orderId, at }: NodeCapacityInput) => ({ nodeId, orderId, day: capacityDay(at) });

/** Node capacity activities: an order counts once against each node it uses, per day. */
export function createCapacityActivities({ collections }: ActivityDeps) {
  return {
    /** Takes one unit of the node's daily order capacity for the order (idempotent); `full` when none is left. */
    async claimNodeCapacity(input: NodeCapacityInput): Promise<ClaimOutcome> {
      const node = await collections.nodes.findOne(
        { _id: input.nodeId },
        { projection: { dailyOrderCapacity: 1 } },
      );
      return claimNodeCapacity(collections, claimOf(input), node?.dailyOrderCapacity);
    },

    /** Gives the order's unit back (idempotent). */
    async releaseNodeCapacity(input: NodeCapacityInput): Promise<void> {
      await releaseNodeCapacity(collections, claimOf(input));
    },
  };
}
