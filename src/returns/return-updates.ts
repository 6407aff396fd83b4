import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { RETURN_PROBLEM_TYPES, RETURN_REJECTIONS } from '../domain/returns/return-rejections';
import type { ReturnView } from '../domain/returns/return-view';
import { ConflictError, NotFoundError } from '../errors';
import type { GatewayDeps } from '../gateway/deps';
import { fromWorkflowMessageError } from '../gateway/workflow-errors';
import { orderWorkflowId } from '../../workflows/order.messages';
import {
  getReturnQuery,
  requestReturnUpdate,
  returnWorkflowId,
  type RequestReturnRequest,
} from '../../workflows/return.messages';
import { readReturn } from './return-read-model';

/** How long a returns Update may take before the caller gets 503 (GatewayDeps.updateTimeoutMs overrides it). */
export const RETURN_UPDATE_TIMEOUT_MS = 15_000;
const QUERY_TIMEOUT_MS = 3000;

/** `{rmaId}` in a path: `<orderId>-R<n>`. */
export const RmaIdParams = z
  .object({ rmaId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'an RMA id such as o-1001-R1') })
  .strict();

/**
 * What a refused returns Update means for the caller: the workflow's own "no" becomes a 409 whose problem
 * type names the reason (`return-window-closed`, `not-delivered`, `already-received`…), an invalid request
 * a 422; a closed workflow, timeouts and the rest as for orders.
 */
export function fromReturnMessageError(error: unknown, orderId: string): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const problem = error.cause.type ? RETURN_PROBLEM_TYPES[error.cause.type] : undefined;
    if (problem) return new ConflictError(error.cause.message, problem);
  }
  return fromWorkflowMessageError(error, orderId);
}

async function runUpdate<Ret, Arg>(
  deps: GatewayDeps,
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  const deadline = Date.now() + (deps.updateTimeoutMs ?? RETURN_UPDATE_TIMEOUT_MS);
  return deps.temporal.withDeadline(deadline, () => handle.executeUpdate(update, { args: [arg] }));
}

/** Sends a returns Update to `order:<orderId>`: 404 for an order that never existed, 409 once it has closed. */
export async function runOrderReturnsUpdate<Ret, Arg>(
  deps: GatewayDeps,
  orderId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  try {
    return await runUpdate(deps, deps.temporal.workflow.getHandle(orderWorkflowId(orderId)), update, arg);
  } catch (error) {
    if (
      error instanceof WorkflowNotFoundError &&
      !(await deps.collections.orders.findOne({ _id: orderId }))
    ) {
      throw new NotFoundError(`Order ${orderId} does not exist.`);
    }
    throw fromReturnMessageError(error, orderId);
  }
}

/** Statuses of a closed order whose units reached the customer: it closed because their windows passed. */
const CLOSED_AFTER_DELIVERY: readonly string[] = ['completed', 'partially_returned', 'returned'];

/**
 * Asks `order:<orderId>` for an RMA; an order that has closed answers 409 with the reason a return needs:
 * `return-window-closed` once it reached the customer (it stays open while any window lasts), else
 * `not-delivered` (cancelled, declined).
 */
export async function requestReturnOnOrder(
  deps: GatewayDeps,
  orderId: string,
  request: RequestReturnRequest,
): Promise<ReturnView> {
  try {
    return await runOrderReturnsUpdate(deps, orderId, requestReturnUpdate, request);
  } catch (error) {
    if (!(error instanceof ConflictError) || error.type !== 'order-closed') throw error;
    const order = await deps.collections.orders.findOne({ _id: orderId }, { projection: { status: 1 } });
    if (order && CLOSED_AFTER_DELIVERY.includes(order.status))
      throw new ConflictError(
        `Order ${orderId} has closed: the return window of its units has passed.`,
        RETURN_PROBLEM_TYPES[RETURN_REJECTIONS.windowClosed],
      );
    throw new ConflictError(
      `Order ${orderId} has closed without reaching the customer: nothing to return.`,
      RETURN_PROBLEM_TYPES[RETURN_REJECTIONS.notDelivered],
    );
  }
}

/** Sends an Update to `return:<rmaId>`: 404 for an unknown RMA, 409 `return-closed` once it has ended. */
export async function runRmaUpdate<Ret, Arg>(
  deps: GatewayDeps,
  rmaId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  try {
    return await runUpdate(deps, deps.temporal.workflow.getHandle(returnWorkflowId(rmaId)), update, arg);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      const known = await readReturn(deps.collections, rmaId);
      if (!known) throw new NotFoundError(`Return ${rmaId} does not exist.`);
      throw new ConflictError(
        `Return ${rmaId} is ${known.status} and accepts no more changes.`,
        'return-closed',
      );
    }
    throw fromReturnMessageError(error, rmaId.replace(/-R\d+$/, ''));
  }
}

/** The RMA's live view from its workflow, else the read model; undefined when neither knows it. */
export async function readReturnView(
  deps: GatewayDeps,
  rmaId: string,
  log: Logger,
): Promise<ReturnView | undefined> {
  const handle = deps.temporal.workflow.getHandle(returnWorkflowId(rmaId));
  const deadline = Date.now() + (deps.queryTimeoutMs ?? QUERY_TIMEOUT_MS);
  try {
    return await deps.temporal.withDeadline(deadline, () => handle.query(getReturnQuery));
  } catch (error) {
    log.debug({ err: error, rmaId }, 'return query failed; using the read model');
    return readReturn(deps.collections, rmaId);
  }
}
