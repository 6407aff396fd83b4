import type { OrderRequest } from '../../../src/domain/order-request';
import type { OrderWorkflowInput } from '../../../workflows/order.messages';

/** The workflow input the gateway would build for this order (manual simulation), with test overrides. */
export function orderWorkflowInput(
  order: OrderRequest,
  input: Partial<OrderWorkflowInput> = {},
): OrderWorkflowInput {
  return {
    order,
    requestHash: `hash-${order.orderId}`,
    receivedAt: new Date().toISOString(),
    simulation: 'manual',
    actor: 'channel:test',
    ...input,
  };
}
