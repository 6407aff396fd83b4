import { ApplicationFailure } from '@temporalio/common';
import { MongoClient } from 'mongodb';
import type { ActivityDeps } from '../../activities/deps';
import { createPaymentActivities } from '../../activities/payment.activities';
import { FAILURE_TYPES } from '../../src/domain/failure-types';
import {
  createSimulatedPaymentGateway,
  PAYMENT_SIM_LEDGER,
  type PaymentSimLedgerDoc,
} from '../../src/payments/simulated-payment-gateway';
import { testMongoUri } from '../support/servers';

const DAY_MS = 86_400_000;
let client: MongoClient;
let activities: ReturnType<typeof createPaymentActivities>;
const clock = { at: new Date('2030-06-01T12:00:00.000Z') };
let n = 0;

beforeAll(async () => {
  client = await new MongoClient(testMongoUri(`payment_activities_${process.pid}`)).connect();
  const payment = createSimulatedPaymentGateway({
    ledger: client.db().collection<PaymentSimLedgerDoc>(PAYMENT_SIM_LEDGER),
    latencyMs: { min: 0, max: 0 },
    now: () => clock.at,
    asyncDelayMs: 1000,
  });
  activities = createPaymentActivities({ payment } as ActivityDeps);
});
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
});

const authorize = (token: string, amountMinor = 1000) => {
  const orderId = `order-${++n}`;
  return activities.authorizePayment({
    orderId,
    idempotencyKey: `auth:${orderId}`,
    token,
    amountMinor,
    currency: 'EUR',
  });
};

/** Authorises 1000 with tok_ok and answers its id. */
async function authorizationId(): Promise<string> {
  return (await authorize('tok_ok')).authorizationId;
}

/** The failure the activity threw: its type and whether Temporal may retry it. */
async function failureOf(call: Promise<unknown>): Promise<{ type?: string; nonRetryable: boolean }> {
  const error: unknown = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApplicationFailure))
    throw new Error(`expected an ApplicationFailure, got ${String(error)}`);
  return { type: error.type ?? undefined, nonRetryable: error.nonRetryable === true };
}

describe('payment activities', () => {
  test('authorizePayment answers the authorisation with its expiry', async () => {
    expect(await authorize('tok_ok', 4200)).toEqual({
      status: 'authorized',
      authorizationId: `auth:order-${n}`,
      amountMinor: 4200,
      expiresAt: new Date(clock.at.getTime() + 7 * DAY_MS).toISOString(),
    });
  });

  test('authorizePayment answers review for tok_review and pending for tok_async', async () => {
    expect((await authorize('tok_review')).status).toBe('review');
    expect(await authorize('tok_async')).toEqual({ status: 'pending', authorizationId: `auth:order-${n}` });
  });

  test('a declined authorisation is a non-retryable PaymentDeclined', async () => {
    expect(await failureOf(authorize('tok_decline'))).toEqual({
      type: FAILURE_TYPES.paymentDeclined,
      nonRetryable: true,
    });
  });

  test('getAuthorization answers the outcome of a pending authorisation once decided', async () => {
    const pending = await authorize('tok_async_decline');
    expect(await activities.getAuthorization({ authorizationId: pending.authorizationId })).toMatchObject({
      status: 'pending',
    });
    clock.at = new Date(clock.at.getTime() + 1000);
    expect(await activities.getAuthorization({ authorizationId: pending.authorizationId })).toEqual({
      status: 'declined',
      reason: 'card_declined',
    });
  });

  test('capturePayment answers what was captured', async () => {
    const id = await authorizationId();
    expect(
      await activities.capturePayment({ idempotencyKey: `cap:${id}`, authorizationId: id, amountMinor: 600 }),
    ).toEqual({ captureId: `cap:${id}`, amountMinor: 600 });
  });

  test('a capture above what is left is a non-retryable CaptureRejected', async () => {
    const id = await authorizationId();
    const capture = activities.capturePayment({
      idempotencyKey: `cap:${id}`,
      authorizationId: id,
      amountMinor: 1001,
    });
    expect(await failureOf(capture)).toEqual({ type: FAILURE_TYPES.captureRejected, nonRetryable: true });
  });

  test('a capture after the authorisation expired is a non-retryable AuthorizationExpired', async () => {
    const id = await authorizationId();
    clock.at = new Date(clock.at.getTime() + 8 * DAY_MS);
    const capture = activities.capturePayment({
      idempotencyKey: `cap:${id}`,
      authorizationId: id,
      amountMinor: 100,
    });
    expect(await failureOf(capture)).toEqual({
      type: FAILURE_TYPES.authorizationExpired,
      nonRetryable: true,
    });
  });

  test('voidPayment releases part of the authorisation, then the rest', async () => {
    const id = await authorizationId();
    expect(
      await activities.voidPayment({ idempotencyKey: `void:${id}:1`, authorizationId: id, amountMinor: 300 }),
    ).toEqual({ voidedMinor: 300 });
    expect(await activities.voidPayment({ idempotencyKey: `void:${id}:2`, authorizationId: id })).toEqual({
      voidedMinor: 700,
    });
  });

  test('refundPayment refunds up to what was captured, and a refund above it is a non-retryable RefundRejected', async () => {
    const id = await authorizationId();
    await activities.capturePayment({ idempotencyKey: `cap:${id}`, authorizationId: id, amountMinor: 500 });
    expect(
      await activities.refundPayment({
        idempotencyKey: `ref:${id}:1`,
        authorizationId: id,
        amountMinor: 400,
      }),
    ).toEqual({ refundId: `ref:${id}:1`, amountMinor: 400 });
    const tooMuch = activities.refundPayment({
      idempotencyKey: `ref:${id}:2`,
      authorizationId: id,
      amountMinor: 101,
    });
    expect(await failureOf(tooMuch)).toEqual({ type: FAILURE_TYPES.refundRejected, nonRetryable: true });
  });
});
