/** What the OMS asks of a payment provider. Every call carries our idempotency key; a retry returns the first answer. */
export interface PaymentGateway {
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  /** The authorisation's current outcome (a pending one may have been decided since). */
  getAuthorization(request: AuthorizationLookup): Promise<AuthorizeResult>;
  capture(request: CaptureRequest): Promise<CaptureResult>;
  void(request: VoidRequest): Promise<VoidResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
}

export interface AuthorizeRequest {
  idempotencyKey: string;
  token: string;
  amountMinor: number;
  currency: string;
  /** Our reference for the provider's dashboard (the orderId). */
  reference: string;
}

/** The money is held until `expiresAt`; `review` holds it too but the provider flags the payment for fraud review. */
export type ApprovedAuthorization = {
  status: 'authorized' | 'review';
  authorizationId: string;
  amountMinor: number;
  expiresAt: string;
};
/** The provider decides later and reports the outcome by webhook. */
export type PendingAuthorization = { status: 'pending'; authorizationId: string };
export type DeclinedAuthorization = { status: 'declined'; reason: string };
export type AuthorizeResult = ApprovedAuthorization | PendingAuthorization | DeclinedAuthorization;

export interface AuthorizationLookup {
  authorizationId: string;
}

export interface CaptureRequest {
  idempotencyKey: string;
  authorizationId: string;
  amountMinor: number;
}
export type CaptureResult =
  | { status: 'captured'; captureId: string; amountMinor: number }
  | { status: 'rejected'; reason: PaymentRejection };

/** Without `amountMinor` the whole remaining authorisation is released; more than remains releases what remains. */
export interface VoidRequest {
  idempotencyKey: string;
  authorizationId: string;
  amountMinor?: number;
}
export type VoidResult =
  | { status: 'voided'; voidedMinor: number }
  | { status: 'rejected'; reason: PaymentRejection };

export interface RefundRequest {
  idempotencyKey: string;
  authorizationId: string;
  amountMinor: number;
}
export type RefundResult =
  | { status: 'refunded'; refundId: string; amountMinor: number }
  | { status: 'rejected'; reason: PaymentRejection };

/** Why the provider refused a capture, void or refund. */
export const PAYMENT_REJECTIONS = {
  exceedsAuthorized: 'exceeds_authorized_or_voided',
  exceedsCaptured: 'exceeds_captured',
  authorizationExpired: 'authorization_expired',
  authorizationPending: 'authorization_pending',
  notAuthorized: 'not_authorized',
  unknownAuthorization: 'unknown_authorization',
} as const;
export type PaymentRejection = (typeof PAYMENT_REJECTIONS)[keyof typeof PAYMENT_REJECTIONS];

/** The provider could not answer this time (timeout, 5xx); the same call with the same key may be retried. */
export class TransientPaymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientPaymentError';
  }
}
