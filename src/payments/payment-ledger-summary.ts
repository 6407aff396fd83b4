import type { PaymentSimLedger, PaymentSimLedgerDoc } from './payment-sim-ledger';

/** One operation the provider recorded, as a test reads it. */
export interface PaymentLedgerOperation {
  /** Our idempotency key of the operation. */
  key: string;
  operation: PaymentSimLedgerDoc['operation'];
  authorizationId: string;
  /** What moved (0 for a refused operation). */
  amountMinor: number;
  /** The provider's answer (`authorized`, `captured`, `rejected`, …); an authorisation's current outcome. */
  status: string;
  at: string;
}

/** What an order's money did at the provider, added up from its recorded operations. */
export interface PaymentLedgerSummary {
  /** Authorisations currently approved (`authorized` or `review`); pending and declined ones hold nothing. */
  authorizedMinor: number;
  capturedMinor: number;
  voidedMinor: number;
  refundedMinor: number;
  /** Still held: authorised, neither captured nor voided, and not expired. */
  openMinor: number;
  /** Left uncaptured and unvoided on authorisations that have expired: released by the provider, not by us. */
  lapsedMinor: number;
  /** The running accounts on the authorisations equal the sums of the operations. */
  accountsAgree: boolean;
  operations: PaymentLedgerOperation[];
}

const MOVED = { capture: 'captured', void: 'voided', refund: 'refunded' } as const;

function toOperation(doc: PaymentSimLedgerDoc): PaymentLedgerOperation {
  const status = (doc.operation === 'authorize' ? (doc.outcome ?? doc.result) : doc.result).status;
  const moved =
    doc.operation === 'authorize'
      ? status === 'authorized' || status === 'review'
      : status === MOVED[doc.operation];
  return {
    key: doc._id,
    operation: doc.operation,
    authorizationId: doc.authorizationId ?? doc._id,
    amountMinor: moved ? (doc.amountMinor ?? 0) : 0,
    status,
    at: doc.at,
  };
}

const total = (operations: PaymentLedgerOperation[], kind: PaymentSimLedgerDoc['operation']): number =>
  operations.filter((op) => op.operation === kind).reduce((sum, op) => sum + op.amountMinor, 0);

/**
 * Adds up every operation on the authorisations made for `orderId` (the reference we send), so a test can
 * prove each unit of money moved exactly once: retried or duplicated calls must not change the sums. `now` is
 * the provider's clock, which tells open from lapsed authorisations.
 */
export async function summarizePaymentLedger(
  ledger: PaymentSimLedger,
  orderId: string,
  now: Date = new Date(),
): Promise<PaymentLedgerSummary> {
  const accounts = await ledger.find({ operation: 'authorize', reference: orderId }).toArray();
  const ids = accounts.map((account) => account._id);
  const movements = await ledger.find({ authorizationId: { $in: ids } }).toArray();
  const operations = [...accounts, ...movements]
    .map(toOperation)
    .sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
  const summary = {
    authorizedMinor: total(operations, 'authorize'),
    capturedMinor: total(operations, 'capture'),
    voidedMinor: total(operations, 'void'),
    refundedMinor: total(operations, 'refund'),
  };
  const held = accounts.filter(
    (account) => account.outcome?.status === 'authorized' || account.outcome?.status === 'review',
  );
  const expired = (account: PaymentSimLedgerDoc): boolean => (account.expiresAt ?? '') <= now.toISOString();
  const remaining = (some: PaymentSimLedgerDoc[]): number =>
    some.reduce((sum, account) => sum + (account.capturableMinor ?? 0), 0);
  const sumOf = (field: 'capturedMinor' | 'voidedMinor' | 'refundedMinor'): number =>
    accounts.reduce((sum, account) => sum + (account[field] ?? 0), 0);
  return {
    ...summary,
    openMinor: remaining(held.filter((account) => !expired(account))),
    lapsedMinor: remaining(held.filter(expired)),
    accountsAgree:
      sumOf('capturedMinor') === summary.capturedMinor &&
      sumOf('voidedMinor') === summary.voidedMinor &&
      sumOf('refundedMinor') === summary.refundedMinor,
    operations,
  };
}
