import type { ActivityDeps } from './deps';

export interface RecordFulfillmentInput {
  fulfillmentId: string;
  orderId: string;
  nodeId: string;
  lines: { lineId: string; sku: string; quantity: number }[];
}

/** Fulfilment records: how the gateway finds the order behind a fulfilmentId. */
export function createFulfillmentActivities({ collections }: ActivityDeps) {
  return {
    /** Records the fulfilment once; a retry leaves the first record as it is. */
    async recordFulfillment(input: RecordFulfillmentInput): Promise<void> {
      const { fulfillmentId, ...rest } = input;
      await collections.fulfillments.updateOne(
        { _id: fulfillmentId },
        { $setOnInsert: { ...rest, createdAt: new Date().toISOString() } },
        { upsert: true },
      );
    },
  };
}
