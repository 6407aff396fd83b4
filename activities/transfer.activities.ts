import { returnLinesToStock } from '../src/inventory/counts';
import type { ActivityDeps } from './deps';

/** The units of a transfer that waited at the pickup store and were not collected. */
export interface RestockTransferInput {
  orderId: string;
  fulfillmentId: string;
  /** The pickup store the units were transferred to. */
  nodeId: string;
  lines: { lineId: string; sku: string; quantity: number }[];
}

/** Activities of click-and-collect transfers (a pickup part shipped from another node to the store). */
export function createTransferActivities({ collections }: ActivityDeps) {
  return {
    /**
     * A transferred parcel was not collected: its units go on the pickup store's shelf (they left the
     * source node's stock when the transfer shipped), once per fulfilment line however often retried.
     */
    async restockUncollectedTransfer(input: RestockTransferInput): Promise<void> {
      await returnLinesToStock(collections, {
        nodeId: input.nodeId,
        lines: input.lines,
        reason: `transfer ${input.fulfillmentId} not collected`,
        source: `order:${input.orderId}`,
        movementKeyOf: (lineId) => `transfer:${input.fulfillmentId}:${lineId}`,
      });
    },
  };
}
