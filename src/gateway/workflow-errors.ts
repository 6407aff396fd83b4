import {
  ApplicationFailure,
  isGrpcDeadlineError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { AppError, ConflictError, UnavailableError, ValidationError } from '../errors';
import { ORDER_REJECTIONS } from '../../workflows/order.messages';

const messageOf = (error: unknown): string | undefined =>
  error instanceof Error && error.message ? error.message : undefined;

/** The problem `type` of each refusal the order workflow gives (its ApplicationFailure `type`). */
const CONFLICT_TYPES: Record<string, string> = {
  [ORDER_REJECTIONS.notAllowed]: 'not-allowed-in-state',
  [ORDER_REJECTIONS.insufficientStock]: 'insufficient-stock',
};

/**
 * What a failed workflow update or signal means for the caller: the workflow's own "no" keeps its
 * message — a 422 when it found the request invalid (`InvalidOrderRequest`, e.g. an unknown line), else a
 * 409; a workflow that has ended is a 409; no answer in time is a 503. Anything else stays unknown (500).
 */
export function fromWorkflowMessageError(error: unknown, orderId: string): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof WorkflowUpdateFailedError) {
    const detail = messageOf(error.cause) ?? `Order ${orderId} refused the request.`;
    const type = error.cause instanceof ApplicationFailure ? error.cause.type : undefined;
    if (type === ORDER_REJECTIONS.invalidRequest) return new ValidationError(detail);
    return new ConflictError(detail, (type && CONFLICT_TYPES[type]) ?? 'rejected-by-order');
  }
  if (error instanceof WorkflowNotFoundError) {
    return new ConflictError(`Order ${orderId} is closed and accepts no more changes.`, 'order-closed');
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error)) {
    return new UnavailableError(`Order ${orderId} did not answer in time; retry later.`);
  }
  return error;
}
