import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { FulfillmentStatus, FulfillmentView } from '../src/domain/order-view';
import {
  FULFILLMENT_REJECTIONS,
  fulfillmentWorkflowId,
  getFulfillmentQuery,
} from '../workflows/fulfillment.messages';
import type { FulfillmentChangeOutcome } from './fulfillment.activities';

/** Final statuses in which the parcel has left the node (or reached the customer). */
const LEFT_THE_NODE: readonly FulfillmentStatus[] = [
  'shipped',
  'in_transit',
  'delivered',
  'exception',
  'picked_up',
];

/**
 * Sends one Update to the child `fulfillment:<id>` and turns its refusal into an outcome. A child that has
 * already ended refuses by its final status (a parcel that left: `AlreadyShipped`), read with a query.
 */
export async function sendFulfillmentUpdate<A>(
  client: Client,
  fulfillmentId: string,
  update: UpdateDefinition<FulfillmentView, [A]>,
  arg: A,
): Promise<FulfillmentChangeOutcome> {
  const handle = client.workflow.getHandle(fulfillmentWorkflowId(fulfillmentId));
  try {
    const view = await handle.executeUpdate(update, { args: [arg] });
    return { outcome: 'applied', view };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      return {
        outcome: 'refused',
        reason: error.cause.message,
        type: error.cause.type ?? FULFILLMENT_REJECTIONS.wrongState,
      };
    }
    if (!isClosedWorkflowError(error)) throw error;
  }
  let final: FulfillmentView;
  try {
    final = await handle.query(getFulfillmentQuery);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    return {
      outcome: 'refused',
      reason: `Fulfilment ${fulfillmentId} has no workflow.`,
      type: FULFILLMENT_REJECTIONS.wrongState,
    };
  }
  const left = LEFT_THE_NODE.includes(final.status);
  return {
    outcome: 'refused',
    reason: `Fulfilment ${fulfillmentId} is ${final.status}.`,
    type: left ? FULFILLMENT_REJECTIONS.alreadyShipped : FULFILLMENT_REJECTIONS.wrongState,
  };
}

/** An Update sent to a workflow that has completed (the server answers "not found" / "already completed"). */
function isClosedWorkflowError(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  return error instanceof Error && /already completed|not found/i.test(error.message);
}
