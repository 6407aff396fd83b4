import { MongoServerError, type Collection, type Filter, type UpdateFilter } from 'mongodb';
import {
  TransientPaymentError,
  type AuthorizeResult,
  type CaptureResult,
  type PaymentGateway,
  type RefundResult,
  type VoidResult,
} from './payment-gateway';

/** Test tokens the simulator understands. `tok_review` authorises for now; fraud holds come later. */
export const SIMULATED_TOKENS = { ok: 'tok_ok', decline: 'tok_decline', review: 'tok_review' } as const;

export const PAYMENT_SIM_LEDGER = 'payment_sim_ledger';

/**
 * One provider operation, `_id` = the caller's idempotency key. An authorisation document also
 * carries the running account of what was captured and refunded against it, so capture and refund
 * are single conditional updates on it (never above what was authorised or captured).
 */
export interface PaymentSimLedgerDoc {
  _id: string;
  operation: 'authorize' | 'capture' | 'void' | 'refund';
  authorizationId?: string;
  amountMinor?: number;
  currency?: string;
  reference?: string;
  result: AuthorizeResult | CaptureResult | VoidResult | RefundResult;
  capturableMinor?: number;
  capturedMinor?: number;
  refundableMinor?: number;
  refundedMinor?: number;
  voided?: boolean;
  captures?: Record<string, number>;
  refunds?: Record<string, number>;
  at: string;
}

export interface SimulatedPaymentOptions {
  ledger: Collection<PaymentSimLedgerDoc>;
  /** Share of calls that fail transiently, half before and half after the operation is recorded. */
  failureRate?: number;
  /** Random latency added to every call, in milliseconds. */
  latencyMs?: { min: number; max: number };
  random?: () => number;
}

const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;
// Idempotency keys become field names in the account maps: no dots, no leading `$`.
const fieldKey = (key: string): string => key.replace(/[.$]/g, '_');

/** A payment provider simulator whose ledger lives in MongoDB, so retries and restarts see the same answers. */
export function createSimulatedPaymentGateway(options: SimulatedPaymentOptions): PaymentGateway {
  const { ledger, failureRate = 0, latencyMs = { min: 2, max: 20 }, random = Math.random } = options;

  async function simulateNetwork(): Promise<void> {
    const delay = latencyMs.min + random() * Math.max(0, latencyMs.max - latencyMs.min);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  // Half the failures happen before anything is recorded, half after: both must be safe to retry.
  function maybeFail(when: 'before' | 'after'): void {
    if (failureRate > 0 && random() < failureRate / 2) {
      throw new TransientPaymentError(`simulated provider timeout ${when} recording the operation`);
    }
  }

  async function recorded<T extends PaymentSimLedgerDoc['result']>(key: string): Promise<T | undefined> {
    const doc = await ledger.findOne({ _id: key });
    return doc?.result as T | undefined;
  }

  // Writes the operation once; a racing or retried writer keeps the first answer.
  async function record<T extends PaymentSimLedgerDoc['result']>(doc: PaymentSimLedgerDoc): Promise<T> {
    try {
      await ledger.insertOne(doc);
      return doc.result as T;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await recorded<T>(doc._id)) as T;
    }
  }

  async function run<T extends PaymentSimLedgerDoc['result']>(
    key: string,
    operate: () => Promise<T>,
  ): Promise<T> {
    maybeFail('before');
    await simulateNetwork();
    const result = (await recorded<T>(key)) ?? (await operate());
    maybeFail('after');
    return result;
  }

  // Applies one movement on an authorisation account, conditionally and once per key.
  async function moveOnAccount(
    authorizationId: string,
    key: string,
    condition: Filter<PaymentSimLedgerDoc>,
    update: UpdateFilter<PaymentSimLedgerDoc>,
    mapName: 'captures' | 'refunds',
    amountMinor: number,
  ): Promise<'applied' | 'refused'> {
    const field = `${mapName}.${fieldKey(key)}`;
    const result = await ledger.updateOne(
      {
        _id: authorizationId,
        operation: 'authorize',
        [field]: { $exists: false },
        ...condition,
      } as Filter<PaymentSimLedgerDoc>,
      { ...update, $set: { [field]: amountMinor } } as UpdateFilter<PaymentSimLedgerDoc>,
    );
    if (result.modifiedCount === 1) return 'applied';
    const account = await ledger.findOne({ _id: authorizationId });
    return account?.[mapName]?.[fieldKey(key)] !== undefined ? 'applied' : 'refused';
  }

  const now = (): string => new Date().toISOString();

  return {
    authorize: (request) =>
      run<AuthorizeResult>(request.idempotencyKey, async () => {
        const approved = request.token === SIMULATED_TOKENS.ok || request.token === SIMULATED_TOKENS.review;
        const result: AuthorizeResult = approved
          ? {
              status: 'authorized',
              authorizationId: request.idempotencyKey,
              amountMinor: request.amountMinor,
            }
          : {
              status: 'declined',
              reason: request.token === SIMULATED_TOKENS.decline ? 'card_declined' : 'unknown_token',
            };
        return record<AuthorizeResult>({
          _id: request.idempotencyKey,
          operation: 'authorize',
          amountMinor: request.amountMinor,
          currency: request.currency,
          reference: request.reference,
          result,
          ...(approved
            ? {
                capturableMinor: request.amountMinor,
                capturedMinor: 0,
                refundableMinor: 0,
                refundedMinor: 0,
                captures: {},
                refunds: {},
              }
            : {}),
          at: now(),
        });
      }),

    capture: (request) =>
      run<CaptureResult>(request.idempotencyKey, async () => {
        const outcome = await moveOnAccount(
          request.authorizationId,
          request.idempotencyKey,
          { voided: { $ne: true }, capturableMinor: { $gte: request.amountMinor } },
          {
            $inc: {
              capturableMinor: -request.amountMinor,
              capturedMinor: request.amountMinor,
              refundableMinor: request.amountMinor,
            },
          },
          'captures',
          request.amountMinor,
        );
        const result: CaptureResult =
          outcome === 'applied'
            ? { status: 'captured', captureId: request.idempotencyKey, amountMinor: request.amountMinor }
            : { status: 'rejected', reason: 'exceeds_authorized_or_voided' };
        return record<CaptureResult>({
          _id: request.idempotencyKey,
          operation: 'capture',
          authorizationId: request.authorizationId,
          amountMinor: request.amountMinor,
          result,
          at: now(),
        });
      }),

    void: (request) =>
      run<VoidResult>(request.idempotencyKey, async () => {
        const updated = await ledger.updateOne(
          { _id: request.authorizationId, operation: 'authorize', capturedMinor: 0 },
          { $set: { voided: true, capturableMinor: 0 } },
        );
        const account =
          updated.modifiedCount === 1 ? null : await ledger.findOne({ _id: request.authorizationId });
        const result: VoidResult =
          updated.modifiedCount === 1 || account?.voided === true
            ? { status: 'voided' }
            : {
                status: 'rejected',
                reason: !account
                  ? 'unknown_authorization'
                  : account.result.status === 'authorized'
                    ? 'already_captured'
                    : 'not_authorized',
              };
        return record<VoidResult>({
          _id: request.idempotencyKey,
          operation: 'void',
          authorizationId: request.authorizationId,
          result,
          at: now(),
        });
      }),

    refund: (request) =>
      run<RefundResult>(request.idempotencyKey, async () => {
        const outcome = await moveOnAccount(
          request.authorizationId,
          request.idempotencyKey,
          { refundableMinor: { $gte: request.amountMinor } },
          { $inc: { refundableMinor: -request.amountMinor, refundedMinor: request.amountMinor } },
          'refunds',
          request.amountMinor,
        );
        const result: RefundResult =
          outcome === 'applied'
            ? { status: 'refunded', refundId: request.idempotencyKey, amountMinor: request.amountMinor }
            : { status: 'rejected', reason: 'exceeds_captured' };
        return record<RefundResult>({
          _id: request.idempotencyKey,
          operation: 'refund',
          authorizationId: request.authorizationId,
          amountMinor: request.amountMinor,
          result,
          at: now(),
        });
      }),
  };
}
