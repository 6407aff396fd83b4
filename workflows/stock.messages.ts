import { defineSignal } from '@temporalio/workflow';

/** Units of a SKU that just reached on-hand stock at a node (a receipt of inbound supply). */
export interface StockArrived {
  sku: string;
  nodeId: string;
  quantity: number;
}

/** Sent to every workflow registered as waiting on the SKU when inbound supply is received. */
export const stockArrivedSignal = defineSignal<[StockArrived]>('stockArrived');
