import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { AppError } from '../../src/errors';
import { fromWorkflowMessageError } from '../../src/gateway/workflow-errors';
import { ORDER_REJECTIONS } from '../../workflows/order.messages';

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

describe("the order's own refusals of an agent's change", () => {
  const refused = (type: string) =>
    fromWorkflowMessageError(
      new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.nonRetryable(`no: ${type}`, type),
      ),
      'O-1',
    ) as AppError;

  it('an invalid request (unknown line) is a 422 with the workflow message', () => {
    const mapped = refused(ORDER_REJECTIONS.invalidRequest);
    expect(mapped.status).toBe(422);
    expect(mapped.message).toBe(`no: ${ORDER_REJECTIONS.invalidRequest}`);
  });

  it('a state that forbids it and missing stock are 409s of their own problem types', () => {
    expect([refused(ORDER_REJECTIONS.notAllowed), refused(ORDER_REJECTIONS.insufficientStock)]).toEqual([
      expect.objectContaining({ status: 409, type: 'not-allowed-in-state' }),
      expect.objectContaining({ status: 409, type: 'insufficient-stock' }),
    ]);
  });
});
