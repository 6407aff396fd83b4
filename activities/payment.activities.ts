import type { ActivityDeps } from './deps';
import { businessFailure, FAILURE_TYPES } from './failures';

export interface AuthorizePaymentInput {
  orderId: string;
  idempotencyKey: string;
  token: string;
  amountMinor: number;
  currency: string;
}
export interface CapturePaymentInput {
  idempotencyKey: string;
  authorizationId: string;
  amountMinor: number;
}

/** Payment activities: a decline is a non-retryable `PaymentDeclined`; provider hiccups retry. */
export function createPaymentActivities({ payment }: ActivityDeps) {
  return {
    async authorizePayment(
      input: AuthorizePaymentInput,
    ): Promise<{ authorizationId: string; amountMinor: number }> {
      const result = await payment.authorize({
        idempotencyKey: input.idempotencyKey,
        token: input.token,
        amountMinor: input.amountMinor,
        currency: input.currency,
        reference: input.orderId,
      });
      if (result.status === 'declined') {
        throw businessFailure(FAILURE_TYPES.paymentDeclined, `payment declined: ${result.reason}`, {
          reason: result.reason,
        });
      }
      return { authorizationId: result.authorizationId, amountMinor: result.amountMinor };
    },

    async capturePayment(input: CapturePaymentInput): Promise<{ captureId: string; amountMinor: number }> {
      const result = await payment.capture(input);
      if (result.status === 'rejected') {
        throw businessFailure(FAILURE_TYPES.captureRejected, `capture rejected: ${result.reason}`, {
          reason: result.reason,
        });
      }
      return { captureId: result.captureId, amountMinor: result.amountMinor };
    },
  };
}
