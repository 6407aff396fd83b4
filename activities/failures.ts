import { ApplicationFailure } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';

export { FAILURE_TYPES } from '../src/domain/failure-types';

/** A business "no": retrying cannot change it, so the workflow gets it at once (logged as benign, not an error). */
export function businessFailure(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    category: ApplicationFailureCategory.BENIGN,
    details: details === undefined ? [] : [details],
  });
}
