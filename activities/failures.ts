import { ApplicationFailure } from '@temporalio/activity';

export { FAILURE_TYPES } from '../src/domain/failure-types';

/** A business "no": retrying cannot change it, so the workflow gets it at once. */
export function businessFailure(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}
