import {
  ApplicationFailure,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { ReturnView } from '../../../src/domain/returns/return-view';
import {
  receiveReturnUpdate,
  requestReturnUpdate,
  returnWorkflowId,
  type RequestReturnRequest,
} from '../../../workflows/return.messages';

/** The customer asks (as the web channel) to return one unit of line l1 in a store, unless told otherwise. */
export const requestReturn = (
  order: WorkflowHandle,
  request: Partial<RequestReturnRequest> = {},
): Promise<ReturnView> =>
  order.executeUpdate(requestReturnUpdate, {
    args: [
      {
        lines: [{ lineId: 'l1', quantity: 1, reason: 'wrong_size' }],
        method: 'store',
        actor: 'channel:web',
        ...request,
      },
    ],
  });

/** The Lyon warehouse's desk receives that one unit of line l1, sellable. */
export const receiveOneAtLyon = (client: Client, rmaId: string) =>
  client.workflow.getHandle(returnWorkflowId(rmaId)).executeUpdate(receiveReturnUpdate, {
    args: [
      {
        nodeId: 'WH-LYON',
        lines: [{ lineId: 'l1', quantity: 1, condition: 'sellable' as const }],
        actor: 'agent:desk',
      },
    ],
  });

/** The ApplicationFailure a refused Update carried (its type says why, its message what). */
export async function refusalOf(request: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await request;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
      return error.cause;
    throw error;
  }
  throw new Error('the request was not refused');
}
