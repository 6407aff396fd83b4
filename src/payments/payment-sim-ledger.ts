import type { Collection } from 'mongodb';
import type {
  ApprovedAuthorization,
  AuthorizeResult,
  CaptureResult,
  DeclinedAuthorization,
  RefundResult,
  VoidResult,
} from './payment-gateway';

export const PAYMENT_SIM_LEDGER = 'payment_sim_ledger';

/**
 * One provider operation, `_id` = the caller's idempotency key; `result` is its first answer, replayed on
 * a retry. An authorisation document is also the running account of what was captured, voided and
 * refunded against it, so every movement is one conditional update on it, recorded once per key in
 * `captures` / `voids` / `refunds`.
 */
export interface PaymentSimLedgerDoc {
  _id: string;
  operation: 'authorize' | 'capture' | 'void' | 'refund';
  /** The authorisation a capture, void or refund moves money on (absent on the authorisation itself). */
  authorizationId?: string;
  amountMinor?: number;
  currency?: string;
  /** Our reference (the orderId) on an authorisation. */
  reference?: string;
  result: AuthorizeResult | CaptureResult | VoidResult | RefundResult;
  at: string;

  /** The authorisation's current outcome: `result` until a pending one is decided. */
  outcome?: AuthorizeResult;
  /** A pending authorisation: what it becomes, and when the provider decides. */
  pendingOutcome?: ApprovedAuthorization | DeclinedAuthorization;
  decidesAt?: string;
  expiresAt?: string;
  capturableMinor?: number;
  capturedMinor?: number;
  voidedMinor?: number;
  refundableMinor?: number;
  refundedMinor?: number;
  captures?: Record<string, number>;
  voids?: Record<string, number>;
  refunds?: Record<string, number>;
}

export type PaymentSimLedger = Collection<PaymentSimLedgerDoc>;

// Idempotency keys become field names in the account maps: no dots, no leading `$`.
export const accountFieldKey = (key: string): string => key.replace(/[.$]/g, '_');
