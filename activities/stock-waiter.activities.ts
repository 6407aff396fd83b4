import { registerStockWaiter, unregisterStockWaiter } from '../src/inventory/stock-waiters';
import type { ActivityDeps } from './deps';

export interface StockWaiterActivityInput {
  orderId: string;
  /** The order's workflow, signalled `stockArrived` when a receipt of one of the SKUs lands. */
  workflowId: string;
  skus: string[];
}

/** Backordered orders register as waiters on their SKUs, so a receipt of inbound supply wakes them. */
export function createStockWaiterActivities({ collections }: ActivityDeps) {
  return {
    /** Registers the workflow as waiting on every SKU (idempotent). */
    async registerStockWaiters(input: StockWaiterActivityInput): Promise<void> {
      for (const sku of input.skus) {
        await registerStockWaiter(collections, { sku, orderId: input.orderId, workflowId: input.workflowId });
      }
    },

    /** The order no longer waits on these SKUs (served, cancelled or given up). */
    async unregisterStockWaiters(input: StockWaiterActivityInput): Promise<void> {
      for (const sku of input.skus) await unregisterStockWaiter(collections, { sku, orderId: input.orderId });
    },
  };
}
