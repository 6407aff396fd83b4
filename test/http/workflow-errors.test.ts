import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { AppError } from '../../src/errors';
import { fromWorkflowMessageError } from '../../src/gateway/workflow-errors';

const statusOf = (error: unknown): number | undefined =>
  error instanceof AppError ? error.status : undefined;

describe('what a failed workflow message means for the caller', () => {
  it("turns the workflow's refusal into a 409 carrying the workflow's own message", () => {
    const refusal = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      ApplicationFailure.nonRetryable('fulfilment F1 is already shipped', 'AlreadyShipped'),
    );
    const mapped = fromWorkflowMessageError(refusal, 'O-1');
    expect(statusOf(mapped)).toBe(409);
    expect((mapped as AppError).message).toBe('fulfilment F1 is already shipped');
  });

  it('turns a closed workflow into a 409', () => {
    const mapped = fromWorkflowMessageError(new WorkflowNotFoundError('gone', 'order:O-1', undefined), 'O-1');
    expect(statusOf(mapped)).toBe(409);
  });

  it('turns an update that got no answer in time into a 503', () => {
    const mapped = fromWorkflowMessageError(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout'), 'O-1');
    expect(statusOf(mapped)).toBe(503);
  });

  it('leaves an unknown error unknown, so it becomes a generic 500', () => {
    const unknown = new Error('socket hang up');
    expect(fromWorkflowMessageError(unknown, 'O-1')).toBe(unknown);
  });
});
