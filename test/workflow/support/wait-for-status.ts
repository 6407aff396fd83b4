import type { WorkflowHandle } from '@temporalio/client';
import type { OrderStatus, OrderView } from '../../../src/domain/order-view';
import { getOrderQuery } from '../../../workflows/order.messages';

/** Polls an order's live view until it reaches the status; fails with the status it stayed in. */
export async function waitForOrderStatus(
  handle: WorkflowHandle,
  status: OrderStatus,
  timeoutMs: number,
  pollMs: number,
): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  let view: OrderView | undefined;
  while (Date.now() < deadline) {
    view = await handle.query(getOrderQuery);
    if (view.status === status) return view;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`order stayed ${view?.status ?? 'unknown'} instead of reaching ${status}`);
}
