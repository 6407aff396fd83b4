import {
  PAYMENT_REJECTIONS,
  type ApprovedAuthorization,
  type PendingAuthorization,
} from '../src/payments/payment-gateway';
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
export interface GetAuthorizationInput {
  authorizationId: string;
}
/** Without `amountMinor` everything still authorised is released; with it, that much (a partial reversal). */
export interface VoidPaymentInput {
  idempotencyKey: string;
  authorizationId: string;
  amountMinor?: number;
}
export interface RefundPaymentInput {
  idempotencyKey: string;
  authorizationId: string;
  amountMinor: number;
}

/**
 * `authorized`: the money is held until `expiresAt`. `review`: held too, but flagged for fraud review (the
 * order waits on hold). `pending`: the provider decides later and reports it by webhook.
 */
export type AuthorizationOutcome = ApprovedAuthorization | PendingAuthorization;
/** What `getAuthorization` can answer: a pending authorisation may since have been declined. */
export type AuthorizationState = AuthorizationOutcome | { status: 'declined'; reason: string };
export interface CaptureOutcome {
  captureId: string;
  amountMinor: number;
}
export interface VoidOutcome {
  voidedMinor: number;
}
export interface RefundOutcome {
  refundId: string;
  amountMinor: number;
}

/**
 * Payment activities. Business "no"s are non-retryable failures (`PaymentDeclined`, `CaptureRejected`,
 * `AuthorizationExpired`, `RefundRejected`, `VoidRejected`); provider hiccups retry. Every call carries our
 * idempotency key, so a retry returns the first answer and money moves once.
 */
export function createPaymentActivities({ payment }: ActivityDeps) {
  return {
    async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizationOutcome> {
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
      return result;
    },

    async getAuthorization(input: GetAuthorizationInput): Promise<AuthorizationState> {
      return payment.getAuthorization({ authorizationId: input.authorizationId });
    },

    async capturePayment(input: CapturePaymentInput): Promise<CaptureOutcome> {
      const result = await payment.capture(input);
      if (result.status === 'rejected') {
        const type =
          result.reason === PAYMENT_REJECTIONS.authorizationExpired
            ? FAILURE_TYPES.authorizationExpired
            : FAILURE_TYPES.captureRejected;
        throw businessFailure(type, `capture rejected: ${result.reason}`, { reason: result.reason });
      }
      return { captureId: result.captureId, amountMinor: result.amountMinor };
    },

    async voidPayment(input: VoidPaymentInput): Promise<VoidOutcome> {
      const result = await payment.void(input);
      if (result.status === 'rejected') {
        throw businessFailure(FAILURE_TYPES.voidRejected, `void rejected: ${result.reason}`, {
          reason: result.reason,
        });
      }
      return { voidedMinor: result.voidedMinor };
    },

    async refundPayment(input: RefundPaymentInput): Promise<RefundOutcome> {
      const result = await payment.refund(input);
      if (result.status === 'rejected') {
        throw businessFailure(FAILURE_TYPES.refundRejected, `refund rejected: ${result.reason}`, {
          reason: result.reason,
        });
      }
      return { refundId: result.refundId, amountMinor: result.amountMinor };
    },
  };
}
