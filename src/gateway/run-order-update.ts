import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { NotFoundError } from '../errors';
import { orderWorkflowId } from '../../workflows/order.messages';
import type { GatewayDeps } from './deps';
import { fromWorkflowMessageError } from './workflow-errors';

/** How long an agent's change may take before the caller gets 503 (GatewayDeps.updateTimeoutMs overrides it). */
export const ORDER_UPDATE_TIMEOUT_MS = 15_000;

/**
 * Sends a validated Update to `order:<orderId>` and answers the workflow's own result; its refusal
 * becomes a 409 or 422, an order that never existed a 404, one that has ended a 409, no answer a 503.
 */
export async function runOrderUpdate<Ret, Arg>(
  deps: GatewayDeps,
  orderId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  const handle = deps.temporal.workflow.getHandle(orderWorkflowId(orderId));
  const deadline = Date.now() + (deps.updateTimeoutMs ?? ORDER_UPDATE_TIMEOUT_MS);
  try {
    return await deps.temporal.withDeadline(deadline, () => handle.executeUpdate(update, { args: [arg] }));
  } catch (error) {
    if (
      error instanceof WorkflowNotFoundError &&
      !(await deps.collections.orders.findOne({ _id: orderId }))
    ) {
      throw new NotFoundError(`Order ${orderId} does not exist.`);
    }
    throw fromWorkflowMessageError(error, orderId);
  }
}
