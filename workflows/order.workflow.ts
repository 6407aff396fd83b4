import { patched } from '@temporalio/workflow';
import type { OrderView } from '../src/domain/order-view';
import { orderV1 } from './legacy/order-v1.workflow';
import type { OrderWorkflowInput } from './order.messages';
import { orderV2 } from './order/order-v2.workflow';

/** The patch that introduced the v2 lifecycle: runs recorded without it replay through v1. */
export const ORDER_LIFECYCLE_V2 = 'order-lifecycle-v2';

/**
 * One order, from receipt to completion. Runs that started before the lifecycle-v2 change replay
 * through v1 (workflows/legacy, verbatim); every new run takes v2 (workflows/order). From here on, any
 * change to what v2 commands needs a patched() of its own.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderView> {
  if (!patched(ORDER_LIFECYCLE_V2)) return orderV1(input);
  return orderV2(input);
}
