/** What the OMS asks of a payment provider. Every call carries our idempotency key; a retry returns the first answer. */
export interface PaymentGateway {
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
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
export type AuthorizeResult =
  | { status: 'authorized'; authorizationId: string; amountMinor: number }
  | { status: 'declined'; reason: string };

export interface CaptureRequest {
  idempotencyKey: string;
  authorizationId: string;
  amountMinor: number;
}
export type CaptureResult =
  | { status: 'captured'; captureId: string; amountMinor: number }
  | { status: 'rejected'; reason: string };

export interface VoidRequest {
  idempotencyKey: string;
  authorizationId: string;
}
export type VoidResult = { status: 'voided' } | { status: 'rejected'; reason: string };

export interface RefundRequest {
  idempotencyKey: string;
  authorizationId: string;
  amountMinor: number;
}
export type RefundResult =
  | { status: 'refunded'; refundId: string; amountMinor: number }
  | { status: 'rejected'; reason: string };

/** The provider could not answer this time (timeout, 5xx); the same call with the same key may be retried. */
export class TransientPaymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientPaymentError';
  }
}
