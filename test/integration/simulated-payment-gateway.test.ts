import { MongoClient, type Collection } from 'mongodb';
import { TransientPaymentError } from '../../src/payments/payment-gateway';
import {
  createSimulatedPaymentGateway,
  PAYMENT_SIM_LEDGER,
  type PaymentSimLedgerDoc,
} from '../../src/payments/simulated-payment-gateway';

const DB_NAME = `payment_sim_${process.pid}_${Date.now()}`;
let client: MongoClient;
let ledger: Collection<PaymentSimLedgerDoc>;
let n = 0;
const key = (what: string): string => `${what}:${++n}`;
const noLatency = { min: 0, max: 0 };

beforeAll(async () => {
  client = new MongoClient(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017');
  await client.connect();
  ledger = client.db(DB_NAME).collection<PaymentSimLedgerDoc>(PAYMENT_SIM_LEDGER);
});
afterAll(async () => {
  await client.db(DB_NAME).dropDatabase();
  await client.close();
});

const gateway = () => createSimulatedPaymentGateway({ ledger, latencyMs: noLatency });
const authorize = (token: string, amountMinor = 1000) =>
  gateway().authorize({ idempotencyKey: key('auth'), token, amountMinor, currency: 'EUR', reference: 'o-1' });

describe('simulated payment provider', () => {
  test('tok_ok authorises the amount', async () => {
    expect(await authorize('tok_ok')).toMatchObject({ status: 'authorized', amountMinor: 1000 });
  });

  test('tok_decline is declined', async () => {
    expect(await authorize('tok_decline')).toEqual({ status: 'declined', reason: 'card_declined' });
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

  test('a capture never exceeds what was authorised', async () => {
    const auth = await authorize('tok_ok', 1000);
    if (auth.status !== 'authorized') throw new Error('expected an authorisation');
    const capture = (amountMinor: number) =>
      gateway().capture({ idempotencyKey: key('cap'), authorizationId: auth.authorizationId, amountMinor });
    expect(await capture(600)).toMatchObject({ status: 'captured', amountMinor: 600 });
    expect(await capture(600)).toEqual({ status: 'rejected', reason: 'exceeds_authorized_or_voided' });
    expect(await capture(400)).toMatchObject({ status: 'captured', amountMinor: 400 });
  });

  test('a capture retried with its key, even concurrently, captures once', async () => {
    const auth = await authorize('tok_ok', 1000);
    if (auth.status !== 'authorized') throw new Error('expected an authorisation');
    const request = { idempotencyKey: key('cap'), authorizationId: auth.authorizationId, amountMinor: 1000 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => gateway().capture(request)));
    expect(answers.every((answer) => answer.status === 'captured')).toBe(true);
    expect(await ledger.findOne({ _id: auth.authorizationId })).toMatchObject({
      capturedMinor: 1000,
      capturableMinor: 0,
    });
  });

  test('transient failures before or after recording are safe to retry', async () => {
    // Draws: attempt 1 fails "before"; attempt 2 passes "before", draws latency, fails "after"; then all pass.
    const draws = [0, 1, 0.5, 0];
    const flaky = createSimulatedPaymentGateway({
      ledger,
      latencyMs: noLatency,
      failureRate: 1,
      random: () => draws.shift() ?? 0.99,
    });
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

  test('a void stops later captures; a refund never exceeds what was captured', async () => {
    const voidable = await authorize('tok_ok', 300);
    if (voidable.status !== 'authorized') throw new Error('expected an authorisation');
    expect(
      await gateway().void({ idempotencyKey: key('void'), authorizationId: voidable.authorizationId }),
    ).toEqual({ status: 'voided', voidedMinor: 300 });
    expect(
      await gateway().capture({
        idempotencyKey: key('cap'),
        authorizationId: voidable.authorizationId,
        amountMinor: 1,
      }),
    ).toMatchObject({
      status: 'rejected',
    });

    const auth = await authorize('tok_ok', 1000);
    if (auth.status !== 'authorized') throw new Error('expected an authorisation');
    await gateway().capture({
      idempotencyKey: key('cap'),
      authorizationId: auth.authorizationId,
      amountMinor: 800,
    });
    const refund = (amountMinor: number) =>
      gateway().refund({ idempotencyKey: key('ref'), authorizationId: auth.authorizationId, amountMinor });
    expect(await refund(500)).toMatchObject({ status: 'refunded', amountMinor: 500 });
    expect(await refund(500)).toEqual({ status: 'rejected', reason: 'exceeds_captured' });
  });
});
