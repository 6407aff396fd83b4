import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { FulfillmentDoc } from '../db/documents';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { FULFILLMENT_REJECTIONS } from '../../workflows/fulfillment.messages';
import type { GatewayDeps } from './deps';
import { fromWorkflowMessageError } from './workflow-errors';

/** How long a fulfilment Update may take before the caller gets 503 (GatewayDeps.updateTimeoutMs overrides it). */
export const FULFILLMENT_UPDATE_TIMEOUT_MS = 15_000;

/** The problem `type` of each refusal of a fulfilment child (its ApplicationFailure `type`): all 409s. */
const CONFLICT_TYPES: Record<string, string> = {
  [FULFILLMENT_REJECTIONS.alreadyShipped]: 'already-shipped',
  [FULFILLMENT_REJECTIONS.onHold]: 'order-on-hold',
  [FULFILLMENT_REJECTIONS.wrongState]: 'invalid-fulfillment-state',
  [FULFILLMENT_REJECTIONS.wrongMethod]: 'wrong-fulfillment-method',
};
/** Refusals that mean the request itself names what does not exist: 422. */
const INVALID_REQUEST_TYPES: readonly string[] = [
  FULFILLMENT_REJECTIONS.unknownLine,
  FULFILLMENT_REJECTIONS.invalidQuantity,
];

/** Which workflow answers for a fulfilment: its child (`workflowId`), or its order (v1 orders, no workflowId). */
export interface FulfillmentOwner {
  fulfillmentId: string;
  orderId: string;
  workflowId?: string;
}

export const ownerOf = (fulfillment: FulfillmentDoc): FulfillmentOwner => ({
  fulfillmentId: fulfillment._id,
  orderId: fulfillment.orderId,
  ...(fulfillment.workflowId ? { workflowId: fulfillment.workflowId } : {}),
});

/** The fulfilment record, or 404. */
export async function findFulfillment(deps: GatewayDeps, fulfillmentId: string): Promise<FulfillmentDoc> {
  const fulfillment = await deps.collections.fulfillments.findOne({ _id: fulfillmentId });
  if (!fulfillment) throw new NotFoundError(`Fulfilment ${fulfillmentId} does not exist.`);
  return fulfillment;
}

/**
 * What a failed message to a fulfilment child means for the caller: its refusal is a 409 whose problem type
 * names the reason (`order-on-hold`, `already-shipped`, …), a child that has ended a 409
 * `fulfillment-closed`; timeouts and the rest as for orders.
 */
export function fromFulfillmentMessageError(error: unknown, owner: FulfillmentOwner): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const { type, message } = error.cause;
    if (type && INVALID_REQUEST_TYPES.includes(type)) return new ValidationError(message);
    const conflict = type ? CONFLICT_TYPES[type] : undefined;
    if (conflict) return new ConflictError(message, conflict);
  }
  if (error instanceof WorkflowNotFoundError && owner.workflowId) {
    return new ConflictError(
      `Fulfilment ${owner.fulfillmentId} is closed and accepts no more changes.`,
      'fulfillment-closed',
    );
  }
  return fromWorkflowMessageError(error, owner.orderId);
}

/** Sends a validated Update to a fulfilment's child workflow and answers its own result (refusals mapped above). */
export async function runFulfillmentUpdate<Ret, Arg>(
  deps: GatewayDeps,
  fulfillment: FulfillmentDoc & { workflowId: string },
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  const handle = deps.temporal.workflow.getHandle(fulfillment.workflowId);
  const deadline = Date.now() + (deps.updateTimeoutMs ?? FULFILLMENT_UPDATE_TIMEOUT_MS);
  try {
    return await deps.temporal.withDeadline(deadline, () => handle.executeUpdate(update, { args: [arg] }));
  } catch (error) {
    throw fromFulfillmentMessageError(error, ownerOf(fulfillment));
  }
}

/** The fulfilment's child workflow id, or a 409 for fulfilments of v1 orders, which have none. */
export function requireChildWorkflow(fulfillment: FulfillmentDoc): FulfillmentDoc & { workflowId: string } {
  if (!fulfillment.workflowId) {
    throw new ConflictError(
      `Fulfilment ${fulfillment._id} belongs to an order that ships parcels only; it has no such step.`,
      'invalid-fulfillment-state',
    );
  }
  return fulfillment as FulfillmentDoc & { workflowId: string };
}

/** Who asks, for the audit trail: the API key's role and label. */
export const actorOf = (principal: { role: string; keyLabel: string }): string =>
  `${principal.role}:${principal.keyLabel}`;
