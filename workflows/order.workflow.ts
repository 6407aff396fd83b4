import type { OrderView } from '../src/domain/order-view';
import { orderV1 } from './legacy/order-v1.workflow';
import type { OrderWorkflowInput } from './order.messages';

/**
 * One order, from receipt to completion. Runs that started before the lifecycle-v2 change replay
 * through v1 (workflows/legacy); every new run takes v2 (workflows/order).
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderView> {
  return orderV1(input);
}
