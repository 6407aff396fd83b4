import { ApplicationFailure } from '@temporalio/workflow';
import { ORDER_REJECTIONS } from '../order.messages';

/** The order's "no" to an agent: a non-retryable failure whose type the gateway maps to 422 or 409. */
export function refusal(
  type: (typeof ORDER_REJECTIONS)[keyof typeof ORDER_REJECTIONS],
  message: string,
): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** The request names lines or fulfilments the order does not have (422). */
export const invalidRequest = (message: string): ApplicationFailure =>
  refusal(ORDER_REJECTIONS.invalidRequest, message);

/** The order's state forbids it (409). */
export const notAllowed = (message: string): ApplicationFailure =>
  refusal(ORDER_REJECTIONS.notAllowed, message);

/** Not enough stock for more units (409). */
export const insufficientStock = (message: string): ApplicationFailure =>
  refusal(ORDER_REJECTIONS.insufficientStock, message);
