import {
  isGrpcDeadlineError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { AppError, ConflictError, UnavailableError } from '../errors';

const messageOf = (error: unknown): string | undefined =>
  error instanceof Error && error.message ? error.message : undefined;

/**
 * What a failed workflow update or signal means for the caller: the workflow's own "no" is a 409 with its
 * message; a workflow that has ended is a 409; no answer in time is a 503. Anything else stays unknown (500).
 */
export function fromWorkflowMessageError(error: unknown, orderId: string): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof WorkflowUpdateFailedError) {
    return new ConflictError(
      messageOf(error.cause) ?? `Order ${orderId} refused the request.`,
      'rejected-by-order',
    );
  }
  if (error instanceof WorkflowNotFoundError) {
    return new ConflictError(`Order ${orderId} is closed and accepts no more changes.`, 'order-closed');
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error)) {
    return new UnavailableError(`Order ${orderId} did not answer in time; retry later.`);
  }
  return error;
}
