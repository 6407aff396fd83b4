import type { Collections } from '../db/collections';
import { wakeStockWaiters, type StockArrivalNotifier, type WakeReport } from './stock-waiters';

/**
 * The wake-up outbox. A receipt sets `wakePending` on its inbound document in the same update that claims
 * it; the flag is cleared only once every waiter of the SKU was told (or found gone) and no receipt came in
 * meanwhile. A wake-up that could not be delivered (Temporal unreachable, the process died) stays owed, and
 * the worker's retry loop delivers it: at least once, so a waiter may hear of one arrival twice.
 */
export async function wakeForInbound(
  c: Collections,
  inboundId: string,
  notify: StockArrivalNotifier,
): Promise<WakeReport> {
  const doc = await c.inbound.findOne({ _id: inboundId });
  if (!doc?.wakePending) return { notified: 0, removed: 0, failed: 0 };
  const last = doc.receipts.at(-1)?.seq ?? 0;
  const fresh = doc.receipts.filter((receipt) => receipt.seq > (doc.wokenSeq ?? 0));
  const quantity = fresh.reduce((sum, receipt) => sum + receipt.quantity, 0);
  const report = await wakeStockWaiters(c, notify, { sku: doc.sku, nodeId: doc.nodeId, quantity });
  if (report.failed === 0) {
    await c.inbound.updateOne(
      { _id: doc._id, receivedQuantity: doc.receivedQuantity, wakePending: true },
      { $unset: { wakePending: '' }, $set: { wokenSeq: last } },
    );
  }
  return report;
}
