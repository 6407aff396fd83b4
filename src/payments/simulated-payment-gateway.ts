import { MongoServerError, type Filter, type UpdateFilter } from 'mongodb';
import {
  PAYMENT_REJECTIONS,
  TransientPaymentError,
  type ApprovedAuthorization,
  type AuthorizeRequest,
  type AuthorizeResult,
  type CaptureResult,
  type DeclinedAuthorization,
  type PaymentGateway,
  type PaymentRejection,
  type RefundResult,
  type VoidResult,
} from './payment-gateway';
import { accountFieldKey, type PaymentSimLedger, type PaymentSimLedgerDoc } from './payment-sim-ledger';
import {
  enqueuePaymentWebhook,
  PAYMENT_SIM_WEBHOOKS,
  paymentEventId,
  type PaymentWebhookOutbox,
} from './payment-webhook-outbox';

export { PAYMENT_SIM_LEDGER, type PaymentSimLedgerDoc } from './payment-sim-ledger';

/**
 * Test tokens the simulator understands: `tok_review` authorises but flags the payment for fraud review;
 * `tok_async` / `tok_async_decline` answer `pending` and are decided later, reported by webhook.
 */
export const SIMULATED_TOKENS = {
  ok: 'tok_ok',
  decline: 'tok_decline',
  review: 'tok_review',
  async: 'tok_async',
  asyncDecline: 'tok_async_decline',
} as const;

export interface SimulatedPaymentOptions {
  ledger: PaymentSimLedger;
  /** Webhooks owed to the OMS; by default `payment_sim_webhooks` beside the ledger. */
  outbox?: PaymentWebhookOutbox;
  /** Share of calls that fail transiently, half before and half after the operation is recorded. */
  failureRate?: number;
  /** Random latency added to every call, in milliseconds. */
  latencyMs?: { min: number; max: number };
  random?: () => number;
  /** The provider's clock (tests move it to expire authorisations). */
  now?: () => Date;
  /** How long an authorisation holds the money. Default 7 days. */
  authorizationValidityDays?: number;
  /** Share of `tok_ok` authorisations answered `pending` and decided later. Default 0 (deterministic). */
  asyncShare?: number;
  /** How long the provider takes to decide a pending authorisation. Default 2000 ms. */
  asyncDelayMs?: number;
}

const DAY_MS = 86_400_000;
const APPROVED: readonly AuthorizeResult['status'][] = ['authorized', 'review'];

const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;
const addMs = (at: Date, ms: number): string => new Date(at.getTime() + ms).toISOString();

/**
 * Decides a pending authorisation whose time has come (once: a conditional update on `pending`), and
 * answers the account as it is now. Both the provider's answers and its webhook sender call it.
 */
export async function decideDueAuthorization(
  ledger: PaymentSimLedger,
  authorizationId: string,
  now: Date,
): Promise<PaymentSimLedgerDoc | null> {
  const account = await ledger.findOne({ _id: authorizationId, operation: 'authorize' });
  const decided = account?.pendingOutcome;
  if (account?.outcome?.status !== 'pending' || !decided || (account.decidesAt ?? '') > now.toISOString()) {
    return account;
  }
  const update =
    decided.status === 'declined'
      ? { outcome: decided, capturableMinor: 0 }
      : { outcome: decided, expiresAt: decided.expiresAt };
  await ledger.updateOne({ _id: authorizationId, 'outcome.status': 'pending' }, { $set: update });
  return ledger.findOne({ _id: authorizationId, operation: 'authorize' });
}

/** Why a movement on this account was refused. */
function refusalOf(
  account: PaymentSimLedgerDoc | null,
  now: Date,
  otherwise: PaymentRejection,
): PaymentRejection {
  if (!account?.outcome) return PAYMENT_REJECTIONS.unknownAuthorization;
  if (account.outcome.status === 'pending') return PAYMENT_REJECTIONS.authorizationPending;
  if (account.outcome.status === 'declined') return PAYMENT_REJECTIONS.notAuthorized;
  if ((account.expiresAt ?? '') <= now.toISOString()) return PAYMENT_REJECTIONS.authorizationExpired;
  return otherwise;
}

/** A payment provider simulator whose ledger lives in MongoDB, so retries and restarts see the same answers. */
export function createSimulatedPaymentGateway(options: SimulatedPaymentOptions): PaymentGateway {
  const {
    ledger,
    outbox = ledger.db.collection(PAYMENT_SIM_WEBHOOKS),
    failureRate = 0,
    latencyMs = { min: 2, max: 20 },
    random = Math.random,
    now = () => new Date(),
    authorizationValidityDays = 7,
    asyncShare = 0,
    asyncDelayMs = 2000,
  } = options;
  const validityMs = authorizationValidityDays * DAY_MS;

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
    afterAnswer?: (result: T) => Promise<void>,
  ): Promise<T> {
    maybeFail('before');
    await simulateNetwork();
    const result = (await recorded<T>(key)) ?? (await operate());
    await afterAnswer?.(result);
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
  ): Promise<{ applied: boolean; account: PaymentSimLedgerDoc | null }> {
    const field = `${mapName}.${accountFieldKey(key)}`;
    const result = await ledger.updateOne(
      {
        _id: authorizationId,
        operation: 'authorize',
        [field]: { $exists: false },
        ...condition,
      } as Filter<PaymentSimLedgerDoc>,
      { ...update, $set: { [field]: amountMinor } } as UpdateFilter<PaymentSimLedgerDoc>,
    );
    if (result.modifiedCount === 1) return { applied: true, account: null };
    const account = await ledger.findOne({ _id: authorizationId, operation: 'authorize' });
    return { applied: account?.[mapName]?.[accountFieldKey(key)] !== undefined, account };
  }

  // Releases part or all of what is still capturable: a compare-and-set on the remaining amount.
  async function releaseOnAccount(
    authorizationId: string,
    key: string,
    wantedMinor: number | undefined,
  ): Promise<VoidResult> {
    const field = `voids.${accountFieldKey(key)}`;
    for (;;) {
      const account = await ledger.findOne({ _id: authorizationId, operation: 'authorize' });
      if (!account?.outcome) return { status: 'rejected', reason: PAYMENT_REJECTIONS.unknownAuthorization };
      const already = account.voids?.[accountFieldKey(key)];
      if (already !== undefined) return { status: 'voided', voidedMinor: already };
      const left = account.capturableMinor ?? 0;
      const voidedMinor = Math.max(0, Math.min(wantedMinor ?? left, left));
      if (voidedMinor === 0) return { status: 'voided', voidedMinor: 0 };
      const updated = await ledger.updateOne(
        { _id: authorizationId, capturableMinor: left, [field]: { $exists: false } },
        { $inc: { capturableMinor: -voidedMinor, voidedMinor }, $set: { [field]: voidedMinor } },
      );
      if (updated.modifiedCount === 1) return { status: 'voided', voidedMinor };
      // Another movement changed the account in between: look again.
    }
  }

  function answerAuthorization(
    request: AuthorizeRequest,
    at: Date,
  ): { result: AuthorizeResult; pendingOutcome?: ApprovedAuthorization | DeclinedAuthorization } {
    const approved = (status: ApprovedAuthorization['status'], from: Date): ApprovedAuthorization => ({
      status,
      authorizationId: request.idempotencyKey,
      amountMinor: request.amountMinor,
      expiresAt: addMs(from, validityMs),
    });
    const declined = (reason: string): DeclinedAuthorization => ({ status: 'declined', reason });
    const pending = (decided: (from: Date) => ApprovedAuthorization | DeclinedAuthorization) => ({
      result: { status: 'pending' as const, authorizationId: request.idempotencyKey },
      pendingOutcome: decided(new Date(at.getTime() + asyncDelayMs)),
    });
    switch (request.token) {
      case SIMULATED_TOKENS.ok:
        return asyncShare > 0 && random() < asyncShare
          ? pending((from) => approved('authorized', from))
          : { result: approved('authorized', at) };
      case SIMULATED_TOKENS.review:
        return { result: approved('review', at) };
      case SIMULATED_TOKENS.async:
        return pending((from) => approved('authorized', from));
      case SIMULATED_TOKENS.asyncDecline:
        return pending(() => declined('card_declined'));
      case SIMULATED_TOKENS.decline:
        return { result: declined('card_declined') };
      default:
        return { result: declined('unknown_token') };
    }
  }

  // A pending authorisation owes the OMS a webhook; queued again on every answer, in case a crash lost it.
  async function queueOutcomeWebhook(result: AuthorizeResult): Promise<void> {
    if (result.status !== 'pending') return;
    const account = await ledger.findOne({ _id: result.authorizationId, operation: 'authorize' });
    const decided = account?.pendingOutcome;
    if (!account || !decided || !account.decidesAt) return;
    const type = decided.status === 'declined' ? 'declined' : 'authorized';
    await enqueuePaymentWebhook(outbox, result.authorizationId, {
      eventId: paymentEventId(result.authorizationId, type),
      type,
      orderId: account.reference ?? '',
      ...(decided.status === 'declined' ? {} : { amountMinor: decided.amountMinor }),
      ...(account.currency ? { currency: account.currency } : {}),
      reference: result.authorizationId,
      at: account.decidesAt,
    });
  }

  return {
    authorize: (request) =>
      run<AuthorizeResult>(
        request.idempotencyKey,
        async () => {
          const at = now();
          const { result, pendingOutcome } = answerAuthorization(request, at);
          const holds = result.status !== 'declined';
          return record<AuthorizeResult>({
            _id: request.idempotencyKey,
            operation: 'authorize',
            amountMinor: request.amountMinor,
            currency: request.currency,
            reference: request.reference,
            result,
            outcome: result,
            ...(pendingOutcome
              ? { pendingOutcome, decidesAt: addMs(at, asyncDelayMs) }
              : 'expiresAt' in result
                ? { expiresAt: result.expiresAt }
                : {}),
            ...(holds
              ? {
                  capturableMinor: request.amountMinor,
                  capturedMinor: 0,
                  voidedMinor: 0,
                  refundableMinor: 0,
                  refundedMinor: 0,
                  captures: {},
                  voids: {},
                  refunds: {},
                }
              : {}),
            at: at.toISOString(),
          });
        },
        queueOutcomeWebhook,
      ),

    async getAuthorization({ authorizationId }) {
      maybeFail('before');
      await simulateNetwork();
      const account = await decideDueAuthorization(ledger, authorizationId, now());
      return account?.outcome ?? { status: 'declined', reason: PAYMENT_REJECTIONS.unknownAuthorization };
    },

    capture: (request) =>
      run<CaptureResult>(request.idempotencyKey, async () => {
        const at = now();
        await decideDueAuthorization(ledger, request.authorizationId, at);
        const { applied, account } = await moveOnAccount(
          request.authorizationId,
          request.idempotencyKey,
          {
            'outcome.status': { $in: APPROVED },
            expiresAt: { $gt: at.toISOString() },
            capturableMinor: { $gte: request.amountMinor },
          },
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
        const result: CaptureResult = applied
          ? { status: 'captured', captureId: request.idempotencyKey, amountMinor: request.amountMinor }
          : { status: 'rejected', reason: refusalOf(account, at, PAYMENT_REJECTIONS.exceedsAuthorized) };
        return record<CaptureResult>({
          _id: request.idempotencyKey,
          operation: 'capture',
          authorizationId: request.authorizationId,
          amountMinor: request.amountMinor,
          result,
          at: at.toISOString(),
        });
      }),

    void: (request) =>
      run<VoidResult>(request.idempotencyKey, async () => {
        const at = now();
        await decideDueAuthorization(ledger, request.authorizationId, at);
        const result = await releaseOnAccount(
          request.authorizationId,
          request.idempotencyKey,
          request.amountMinor,
        );
        return record<VoidResult>({
          _id: request.idempotencyKey,
          operation: 'void',
          authorizationId: request.authorizationId,
          amountMinor: result.status === 'voided' ? result.voidedMinor : 0,
          result,
          at: at.toISOString(),
        });
      }),

    refund: (request) =>
      run<RefundResult>(request.idempotencyKey, async () => {
        const at = now();
        const { applied, account } = await moveOnAccount(
          request.authorizationId,
          request.idempotencyKey,
          { refundableMinor: { $gte: request.amountMinor } },
          { $inc: { refundableMinor: -request.amountMinor, refundedMinor: request.amountMinor } },
          'refunds',
          request.amountMinor,
        );
        const result: RefundResult = applied
          ? { status: 'refunded', refundId: request.idempotencyKey, amountMinor: request.amountMinor }
          : {
              status: 'rejected',
              reason: account ? PAYMENT_REJECTIONS.exceedsCaptured : PAYMENT_REJECTIONS.unknownAuthorization,
            };
        return record<RefundResult>({
          _id: request.idempotencyKey,
          operation: 'refund',
          authorizationId: request.authorizationId,
          amountMinor: request.amountMinor,
          result,
          at: at.toISOString(),
        });
      }),
  };
}
