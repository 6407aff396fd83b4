import { local } from '../order-activity-proxies';
import type { OrderRun } from './order-run';

/** Registers the order as a stock waiter on every backordered SKU it is not registered on yet. */
export async function startWaitingFor(run: OrderRun): Promise<void> {
  const skus = [...new Set((run.view.backorders ?? []).map((b) => b.sku))].filter(
    (sku) => !run.state.waitingSkus.includes(sku),
  );
  if (skus.length === 0) return;
  await local.registerStockWaiters({ orderId: run.orderId, workflowId: run.workflowId, skus });
  run.state.waitingSkus.push(...skus);
}

/** Unregisters the SKUs no backorder waits for any more. */
export async function stopWaitingFor(run: OrderRun): Promise<void> {
  const still = new Set((run.view.backorders ?? []).map((b) => b.sku));
  const skus = run.state.waitingSkus.filter((sku) => !still.has(sku));
  if (skus.length === 0) return;
  await local.unregisterStockWaiters({ orderId: run.orderId, workflowId: run.workflowId, skus });
  run.state.waitingSkus = run.state.waitingSkus.filter((sku) => still.has(sku));
}
