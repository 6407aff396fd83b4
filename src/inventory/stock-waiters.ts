import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Collections } from '../db/collections';
import type { StockWaiterDoc } from '../db/documents';
import { stockArrivedSignal, type StockArrived } from '../../workflows/stock.messages';
import { addToSkuDirectory, readSkuDirectory, removeFromSkuDirectory } from './sku-directory';

export interface StockWaiterInput {
  sku: string;
  orderId: string;
  workflowId: string;
}

export const stockWaiterId = (sku: string, orderId: string): string => `${sku}:${orderId}`;

/** Records that an order's workflow waits for a SKU (idempotent: registering again changes nothing). */
export async function registerStockWaiter(c: Collections, input: StockWaiterInput): Promise<void> {
  const _id = stockWaiterId(input.sku, input.orderId);
  await addToSkuDirectory(c, input.sku, 'waiterIds', _id); // listed first: a receipt never misses it
  await c.stockWaiters.updateOne(
    { _id },
    {
      $set: { sku: input.sku, orderId: input.orderId, workflowId: input.workflowId },
      $setOnInsert: { registeredAt: new Date().toISOString() },
    },
    { upsert: true },
  );
}

/** The order no longer waits for the SKU (it got its stock, or was cancelled). */
export async function unregisterStockWaiter(
  c: Collections,
  input: Pick<StockWaiterInput, 'sku' | 'orderId'>,
): Promise<void> {
  const _id = stockWaiterId(input.sku, input.orderId);
  await c.stockWaiters.deleteOne({ _id });
  await removeFromSkuDirectory(c, input.sku, 'waiterIds', _id);
}

/** Everyone waiting for a SKU, first registered first: `_id` lookups through the SKU directory. */
export async function listStockWaiters(c: Collections, sku: string): Promise<StockWaiterDoc[]> {
  const ids = (await readSkuDirectory(c, [sku], 'waiterIds')).get(sku) ?? [];
  const waiters = ids.length > 0 ? await c.stockWaiters.find({ _id: { $in: ids } }).toArray() : [];
  return waiters.sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a._id.localeCompare(b._id));
}

/** Tells one waiting workflow that stock arrived; `gone` when that workflow no longer exists or has ended. */
export type StockArrivalNotifier = (
  workflowId: string,
  arrival: StockArrived,
) => Promise<'notified' | 'gone'>;

/** Signals `stockArrived` through Temporal; a workflow without a handler for it simply records the signal. */
export function createTemporalStockNotifier(client: Client): StockArrivalNotifier {
  return async (workflowId, arrival) => {
    try {
      await client.workflow.getHandle(workflowId).signal(stockArrivedSignal, arrival);
      return 'notified';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'gone';
      throw error;
    }
  };
}

export interface WakeReport {
  notified: number;
  /** Waiters whose workflow has ended: removed. */
  removed: number;
  /** Waiters that could not be told now (Temporal unavailable); they stay registered. */
  failed: number;
}

const WAKE_BATCH = 20;

/** Signals every waiter of the SKU; waiters of ended workflows are removed, failures are counted, not thrown. */
export async function wakeStockWaiters(
  c: Collections,
  notify: StockArrivalNotifier,
  arrival: StockArrived,
): Promise<WakeReport> {
  const report: WakeReport = { notified: 0, removed: 0, failed: 0 };
  const waiters = await listStockWaiters(c, arrival.sku);
  for (let i = 0; i < waiters.length; i += WAKE_BATCH) {
    const batch = waiters.slice(i, i + WAKE_BATCH);
    const outcomes = await Promise.allSettled(batch.map((waiter) => notify(waiter.workflowId, arrival)));
    for (const [index, outcome] of outcomes.entries()) {
      const waiter = batch[index] as StockWaiterDoc;
      if (outcome.status === 'rejected') report.failed += 1;
      else if (outcome.value === 'notified') report.notified += 1;
      else {
        const removed = await c.stockWaiters.deleteOne({ _id: waiter._id, workflowId: waiter.workflowId });
        if (removed.deletedCount === 1) await removeFromSkuDirectory(c, waiter.sku, 'waiterIds', waiter._id);
        report.removed += 1;
      }
    }
  }
  return report;
}
