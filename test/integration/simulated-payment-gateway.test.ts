import { MongoClient, type Collection } from 'mongodb';
import { TransientPaymentError, type PaymentGateway } from '../../src/payments/payment-gateway';
import { summarizePaymentLedger } from '../../src/payments/payment-ledger-summary';
import {
  PAYMENT_SIM_WEBHOOKS,
  paymentEventId,
  type PaymentWebhookOutboxDoc,
} from '../../src/payments/payment-webhook-outbox';
import {
  createSimulatedPaymentGateway,
  PAYMENT_SIM_LEDGER,
  type PaymentSimLedgerDoc,
  type SimulatedPaymentOptions,
} from '../../src/payments/simulated-payment-gateway';
import { testMongoUri } from '../support/servers';

const DB_NAME = `payment_sim_${process.pid}_${Date.now()}`;
const DAY_MS = 86_400_000;
let client: MongoClient;
let ledger: Collection<PaymentSimLedgerDoc>;
let outbox: Collection<PaymentWebhookOutboxDoc>;
let n = 0;
const key = (what: string): string => `${what}:${++n}`;
const noLatency = { min: 0, max: 0 };

/** The provider's clock: tests move it forward to let authorisations expire or pending ones be decided. */
const clock = { at: new Date('2030-01-01T00:00:00.000Z') };
const advance = (ms: number): void => {
  clock.at = new Date(clock.at.getTime() + ms);
};

beforeAll(async () => {
  client = new MongoClient(testMongoUri(DB_NAME));
  await client.connect();
  ledger = client.db().collection<PaymentSimLedgerDoc>(PAYMENT_SIM_LEDGER);
  outbox = client.db().collection<PaymentWebhookOutboxDoc>(PAYMENT_SIM_WEBHOOKS);
});
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
});

const gateway = (options: Partial<SimulatedPaymentOptions> = {}): PaymentGateway =>
  createSimulatedPaymentGateway({ ledger, latencyMs: noLatency, now: () => clock.at, ...options });

/** Authorises `amountMinor` for a fresh order; answers the authorisation id and the order id. */
async function authorized(amountMinor = 1000, token = 'tok_ok') {
  const orderId = key('order');
  const answer = await gateway().authorize({
    idempotencyKey: `auth:${orderId}`,
    token,
    amountMinor,
    currency: 'EUR',
    reference: orderId,
  });
  if (answer.status !== 'authorized' && answer.status !== 'review') throw new Error(answer.status);
  return { orderId, authorizationId: answer.authorizationId, expiresAt: answer.expiresAt };
}

const authorize = (token: string, amountMinor = 1000) =>
  gateway().authorize({ idempotencyKey: key('auth'), token, amountMinor, currency: 'EUR', reference: 'o-1' });
const capture = (authorizationId: string, amountMinor: number, idempotencyKey = key('cap')) =>
  gateway().capture({ idempotencyKey, authorizationId, amountMinor });
const voidPart = (authorizationId: string, amountMinor?: number, idempotencyKey = key('void')) =>
  gateway().void({
    idempotencyKey,
    authorizationId,
    ...(amountMinor === undefined ? {} : { amountMinor }),
  });
const refund = (authorizationId: string, amountMinor: number, idempotencyKey = key('ref')) =>
  gateway().refund({ idempotencyKey, authorizationId, amountMinor });

describe('simulated payment provider: authorisations', () => {
  test('tok_ok authorises the amount until the default validity of 7 days', async () => {
    expect(await authorize('tok_ok')).toMatchObject({
      status: 'authorized',
      amountMinor: 1000,
      expiresAt: new Date(clock.at.getTime() + 7 * DAY_MS).toISOString(),
    });
  });

  test('the validity of an authorisation is configurable', async () => {
    const answer = await gateway({ authorizationValidityDays: 1 }).authorize({
      idempotencyKey: key('auth'),
      token: 'tok_ok',
      amountMinor: 100,
      currency: 'EUR',
      reference: 'o-1',
    });
    expect(answer).toMatchObject({ expiresAt: new Date(clock.at.getTime() + DAY_MS).toISOString() });
  });

  test('tok_decline is declined', async () => {
    expect(await authorize('tok_decline')).toEqual({ status: 'declined', reason: 'card_declined' });
  });

  test('tok_review holds the money but flags the payment for review', async () => {
    expect(await authorize('tok_review')).toMatchObject({ status: 'review', amountMinor: 1000 });
  });

  test('a review authorisation can be captured once released', async () => {
    const { authorizationId } = await authorized(1000, 'tok_review');
    expect(await capture(authorizationId, 1000)).toMatchObject({ status: 'captured' });
  });

  test('the same idempotency key returns the first answer and records one operation', async () => {
    const request = {
      idempotencyKey: key('auth'),
      token: 'tok_ok',
      amountMinor: 700,
      currency: 'EUR',
      reference: 'o-2',
    };
    const first = await gateway().authorize(request);
    const second = await gateway().authorize({ ...request, amountMinor: 9999 });
    expect(second).toEqual(first);
    expect(await ledger.countDocuments({ _id: request.idempotencyKey })).toBe(1);
  });

  test('getAuthorization of an id the provider never issued answers declined', async () => {
    expect(await gateway().getAuthorization({ authorizationId: 'auth:nobody' })).toEqual({
      status: 'declined',
      reason: 'unknown_authorization',
    });
  });
});

describe('simulated payment provider: asynchronous outcomes', () => {
  test('tok_async answers pending and queues the outcome as a webhook due when it is decided', async () => {
    const orderId = key('order');
    const authorizationId = `auth:${orderId}`;
    const answer = await gateway({ asyncDelayMs: 5000 }).authorize({
      idempotencyKey: authorizationId,
      token: 'tok_async',
      amountMinor: 1200,
      currency: 'EUR',
      reference: orderId,
    });
    expect(answer).toEqual({ status: 'pending', authorizationId });
    const queued = await outbox.find({ authorizationId }).toArray();
    expect(queued).toEqual([
      expect.objectContaining({
        _id: paymentEventId(authorizationId, 'authorized'),
        status: 'pending',
        dueAt: new Date(clock.at.getTime() + 5000).toISOString(),
        body: {
          eventId: paymentEventId(authorizationId, 'authorized'),
          type: 'authorized',
          orderId,
          amountMinor: 1200,
          currency: 'EUR',
          reference: authorizationId,
          at: new Date(clock.at.getTime() + 5000).toISOString(),
        },
      }),
    ]);
  });

  test('a pending authorisation stays pending until the provider decides, then reads as authorised', async () => {
    const { authorizationId } = await pendingAuthorization('tok_async', 800);
    expect(await gateway().getAuthorization({ authorizationId })).toEqual({
      status: 'pending',
      authorizationId,
    });
    advance(2000);
    expect(await gateway().getAuthorization({ authorizationId })).toEqual({
      status: 'authorized',
      authorizationId,
      amountMinor: 800,
      expiresAt: new Date(clock.at.getTime() + 7 * DAY_MS).toISOString(),
    });
  });

  test('tok_async_decline is pending, then declined', async () => {
    const { authorizationId } = await pendingAuthorization('tok_async_decline', 800);
    advance(2000);
    expect(await gateway().getAuthorization({ authorizationId })).toEqual({
      status: 'declined',
      reason: 'card_declined',
    });
    expect(await outbox.findOne({ authorizationId })).toMatchObject({ body: { type: 'declined' } });
  });

  test('a pending authorisation cannot be captured yet', async () => {
    const { authorizationId } = await pendingAuthorization('tok_async', 800);
    expect(await capture(authorizationId, 800)).toEqual({
      status: 'rejected',
      reason: 'authorization_pending',
    });
  });

  test('a retried pending authorisation queues its webhook once', async () => {
    const { authorizationId, request } = await pendingAuthorization('tok_async', 800);
    expect(await gateway().authorize(request)).toEqual({ status: 'pending', authorizationId });
    expect(await outbox.countDocuments({ authorizationId })).toBe(1);
  });

  test('a configured share of tok_ok authorisations goes asynchronous', async () => {
    const answer = await gateway({ asyncShare: 0.5, random: () => 0.1 }).authorize({
      idempotencyKey: key('auth'),
      token: 'tok_ok',
      amountMinor: 100,
      currency: 'EUR',
      reference: 'o-1',
    });
    expect(answer.status).toBe('pending');
  });

  async function pendingAuthorization(token: string, amountMinor: number) {
    const orderId = key('order');
    const request = {
      idempotencyKey: `auth:${orderId}`,
      token,
      amountMinor,
      currency: 'EUR',
      reference: orderId,
    };
    const answer = await gateway({ asyncDelayMs: 2000 }).authorize(request);
    if (answer.status !== 'pending') throw new Error(answer.status);
    return { authorizationId: answer.authorizationId, request };
  }
});

describe('simulated payment provider: expiry', () => {
  test('a capture before the authorisation expires goes through', async () => {
    const { authorizationId } = await authorized(1000);
    advance(7 * DAY_MS - 1);
    expect(await capture(authorizationId, 1000)).toMatchObject({ status: 'captured' });
  });

  test('a capture after the authorisation expired is refused as expired', async () => {
    const { authorizationId } = await authorized(1000);
    advance(7 * DAY_MS);
    expect(await capture(authorizationId, 1000)).toEqual({
      status: 'rejected',
      reason: 'authorization_expired',
    });
  });
});

describe('simulated payment provider: money movements', () => {
  test('a capture never exceeds what was authorised', async () => {
    const { authorizationId } = await authorized(1000);
    expect(await capture(authorizationId, 600)).toMatchObject({ status: 'captured', amountMinor: 600 });
    expect(await capture(authorizationId, 600)).toEqual({
      status: 'rejected',
      reason: 'exceeds_authorized_or_voided',
    });
    expect(await capture(authorizationId, 400)).toMatchObject({ status: 'captured', amountMinor: 400 });
  });

  test('a partial void leaves the rest capturable, and nothing above it', async () => {
    const { orderId, authorizationId } = await authorized(1000);
    expect(await voidPart(authorizationId, 300)).toEqual({ status: 'voided', voidedMinor: 300 });
    expect(await capture(authorizationId, 701)).toMatchObject({ status: 'rejected' });
    expect(await capture(authorizationId, 700)).toMatchObject({ status: 'captured', amountMinor: 700 });
    expect(await summarizePaymentLedger(ledger, orderId)).toMatchObject({
      authorizedMinor: 1000,
      capturedMinor: 700,
      voidedMinor: 300,
      openMinor: 0,
      accountsAgree: true,
    });
  });

  test('voiding more than is left voids what is left, and then nothing', async () => {
    const { authorizationId } = await authorized(1000);
    await capture(authorizationId, 400);
    expect(await voidPart(authorizationId, 5000)).toEqual({ status: 'voided', voidedMinor: 600 });
    expect(await voidPart(authorizationId)).toEqual({ status: 'voided', voidedMinor: 0 });
  });

  test('a void without an amount releases everything not captured', async () => {
    const { authorizationId } = await authorized(1000);
    await capture(authorizationId, 250);
    expect(await voidPart(authorizationId)).toEqual({ status: 'voided', voidedMinor: 750 });
    expect(await capture(authorizationId, 1)).toMatchObject({ status: 'rejected' });
  });

  test('a void of an authorisation the provider never issued is rejected', async () => {
    expect(await voidPart('auth:nobody')).toEqual({ status: 'rejected', reason: 'unknown_authorization' });
  });

  test('refunds never exceed what was captured minus what was refunded', async () => {
    const { orderId, authorizationId } = await authorized(1000);
    await capture(authorizationId, 800);
    expect(await refund(authorizationId, 500)).toMatchObject({ status: 'refunded', amountMinor: 500 });
    expect(await refund(authorizationId, 301)).toEqual({ status: 'rejected', reason: 'exceeds_captured' });
    expect(await refund(authorizationId, 300)).toMatchObject({ status: 'refunded', amountMinor: 300 });
    expect(await summarizePaymentLedger(ledger, orderId)).toMatchObject({
      capturedMinor: 800,
      refundedMinor: 800,
      accountsAgree: true,
    });
  });

  test('concurrent captures under one key move the money once', async () => {
    const { orderId, authorizationId } = await authorized(1000);
    const request = { idempotencyKey: key('cap'), authorizationId, amountMinor: 600 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => gateway().capture(request)));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 'captured', amountMinor: 600 });
    expect(await summarizePaymentLedger(ledger, orderId)).toMatchObject({
      capturedMinor: 600,
      openMinor: 400,
      accountsAgree: true,
    });
  });

  test('concurrent partial voids under different keys never release more than is left', async () => {
    const { orderId, authorizationId } = await authorized(1000);
    const answers = await Promise.all(Array.from({ length: 6 }, () => voidPart(authorizationId, 300)));
    const released = answers.map((answer) => (answer.status === 'voided' ? answer.voidedMinor : -1));
    expect(released.reduce((sum, amount) => sum + amount, 0)).toBe(1000);
    expect(await summarizePaymentLedger(ledger, orderId)).toMatchObject({
      voidedMinor: 1000,
      openMinor: 0,
      accountsAgree: true,
    });
  });
});

describe('simulated payment provider: idempotent retries', () => {
  const operations: [string, (authorizationId: string, idempotencyKey: string) => Promise<unknown>][] = [
    ['capture', (id, k) => capture(id, 400, k)],
    ['partial void', (id, k) => voidPart(id, 300, k)],
    ['full void', (id, k) => voidPart(id, undefined, k)],
    ['refund', async (id, k) => refund(id, 100, k)],
  ];

  test.each(operations)('a %s retried with its key answers the same and moves money once', async (_, act) => {
    const { orderId, authorizationId } = await authorized(1000);
    await capture(authorizationId, 200); // something to refund
    const before = await summarizePaymentLedger(ledger, orderId);
    const idempotencyKey = key('retry');
    const first = await act(authorizationId, idempotencyKey);
    const afterFirst = await summarizePaymentLedger(ledger, orderId);
    const again = await act(authorizationId, idempotencyKey);
    expect(again).toEqual(first);
    const afterRetry = await summarizePaymentLedger(ledger, orderId);
    expect(afterRetry).toEqual(afterFirst);
    expect(afterRetry.operations).toHaveLength(before.operations.length + 1);
    expect(afterRetry.accountsAgree).toBe(true);
  });

  test('transient failures before or after recording are safe to retry', async () => {
    // Draws: attempt 1 fails "before"; attempt 2 passes "before", draws latency, fails "after"; then all pass.
    const draws = [0, 1, 0.5, 0];
    const flaky = gateway({ failureRate: 1, random: () => draws.shift() ?? 0.99 });
    const request = {
      idempotencyKey: key('auth'),
      token: 'tok_ok',
      amountMinor: 500,
      currency: 'EUR',
      reference: 'o-3',
    };
    await expect(flaky.authorize(request)).rejects.toBeInstanceOf(TransientPaymentError);
    await expect(flaky.authorize(request)).rejects.toBeInstanceOf(TransientPaymentError);
    expect(await ledger.countDocuments({ _id: request.idempotencyKey })).toBe(1);
    expect(await flaky.authorize(request)).toMatchObject({ status: 'authorized', amountMinor: 500 });
  });
});

describe('summarizePaymentLedger', () => {
  test("adds up an order's authorisations, captures, voids and refunds, and lists them", async () => {
    const { orderId, authorizationId } = await authorized(1000);
    await capture(authorizationId, 600, `cap:${orderId}`);
    await voidPart(authorizationId, 100, `void:${orderId}`);
    await refund(authorizationId, 50, `ref:${orderId}`);
    await capture(authorizationId, 5000, `too-much:${orderId}`);
    const summary = await summarizePaymentLedger(ledger, orderId);
    expect(summary).toMatchObject({
      authorizedMinor: 1000,
      capturedMinor: 600,
      voidedMinor: 100,
      refundedMinor: 50,
      openMinor: 300,
      accountsAgree: true,
    });
    expect(
      summary.operations.map(({ key: k, operation, amountMinor, status }) => [
        k,
        operation,
        amountMinor,
        status,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [authorizationId, 'authorize', 1000, 'authorized'],
        [`cap:${orderId}`, 'capture', 600, 'captured'],
        [`void:${orderId}`, 'void', 100, 'voided'],
        [`ref:${orderId}`, 'refund', 50, 'refunded'],
        [`too-much:${orderId}`, 'capture', 0, 'rejected'],
      ]),
    );
    expect(summary.operations).toHaveLength(5);
  });

  test('what an expired authorisation left uncaptured counts as lapsed, not open', async () => {
    const { orderId, authorizationId } = await authorized(1000);
    await capture(authorizationId, 400);
    advance(7 * DAY_MS);
    expect(await summarizePaymentLedger(ledger, orderId, clock.at)).toMatchObject({
      authorizedMinor: 1000,
      capturedMinor: 400,
      openMinor: 0,
      lapsedMinor: 600,
    });
  });

  test('a declined authorisation holds nothing', async () => {
    const orderId = key('order');
    await gateway().authorize({
      idempotencyKey: `auth:${orderId}`,
      token: 'tok_decline',
      amountMinor: 1000,
      currency: 'EUR',
      reference: orderId,
    });
    expect(await summarizePaymentLedger(ledger, orderId)).toMatchObject({
      authorizedMinor: 0,
      capturedMinor: 0,
      openMinor: 0,
    });
  });
});
