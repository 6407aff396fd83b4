import { defaultPayloadConverter } from '@temporalio/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { PAYMENT_EVENTS_COLLECTION, type PaymentEventDoc } from '../../src/gateway/routes/webhooks-payment';
import { createPaymentWebhookDelivery } from '../../src/payments/payment-webhook-delivery';
import {
  PAYMENT_SIM_WEBHOOKS,
  paymentEventId,
  type PaymentWebhookOutboxDoc,
} from '../../src/payments/payment-webhook-outbox';
import {
  createSimulatedPaymentGateway,
  PAYMENT_SIM_LEDGER,
  type PaymentSimLedgerDoc,
} from '../../src/payments/simulated-payment-gateway';
import { orderWorkflowId, type PaymentEvent } from '../../workflows/order.messages';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

const ASYNC_DELAY_MS = 1000;
let gateway: GatewayHarness;
let server: Server;
let baseUrl: string;
const clock = { at: new Date('2030-01-01T00:00:00.000Z') };
const now = () => clock.at;
const advance = (ms: number): void => {
  clock.at = new Date(clock.at.getTime() + ms);
};

beforeAll(async () => {
  gateway = await startGatewayHarness('payment_webhooks');
  server = createServer(gateway.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await gateway.close();
});

const db = () => gateway.collections.orders.db;
const ledger = () => db().collection<PaymentSimLedgerDoc>(PAYMENT_SIM_LEDGER);
const outbox = () => db().collection<PaymentWebhookOutboxDoc>(PAYMENT_SIM_WEBHOOKS);
const events = () => db().collection<PaymentEventDoc>(PAYMENT_EVENTS_COLLECTION);
const provider = () =>
  createSimulatedPaymentGateway({
    ledger: ledger(),
    latencyMs: { min: 0, max: 0 },
    now,
    asyncDelayMs: ASYNC_DELAY_MS,
  });
const delivery = (gatewayUrl = baseUrl) =>
  createPaymentWebhookDelivery({
    outbox: outbox(),
    ledger: ledger(),
    gatewayUrl,
    apiKey: 'dev-payment-key',
    now,
    pollMs: 20,
  });

/** A running stand-in for the order workflow (no worker polls its queue), so its history shows every signal. */
async function runningOrder(): Promise<string> {
  const orderId = gateway.newOrderId();
  await gateway.temporal.workflow.start('orderWorkflow', {
    workflowId: orderWorkflowId(orderId),
    taskQueue: gateway.config.taskQueue,
    args: [],
  });
  return orderId;
}

async function paymentSignals(orderId: string): Promise<PaymentEvent[]> {
  const history = await gateway.temporal.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
  return (history.events ?? [])
    .map((event) => event.workflowExecutionSignaledEventAttributes)
    .filter((signal) => signal?.signalName === 'paymentEvent')
    .map((signal) => defaultPayloadConverter.fromPayload<PaymentEvent>(signal!.input!.payloads![0]!));
}

/** Authorises with `tok_async` for the order: pending now, decided ASYNC_DELAY_MS later. */
async function pendingAuthorization(orderId: string, amountMinor = 25800): Promise<string> {
  const answer = await provider().authorize({
    idempotencyKey: `auth:${orderId}`,
    token: 'tok_async',
    amountMinor,
    currency: 'EUR',
    reference: orderId,
  });
  expect(answer.status).toBe('pending');
  return `auth:${orderId}`;
}

describe('simulated payment webhooks delivered to POST /v1/webhooks/payment', () => {
  test('nothing is sent before the provider has decided', async () => {
    const orderId = await runningOrder();
    const authorizationId = await pendingAuthorization(orderId);
    await delivery().deliverDue();
    expect(await outbox().findOne({ authorizationId })).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await paymentSignals(orderId)).toEqual([]);
  });

  test('a decided authorisation reaches its order as one paymentEvent signal', async () => {
    const orderId = await runningOrder();
    const authorizationId = await pendingAuthorization(orderId, 25800);
    advance(ASYNC_DELAY_MS);
    expect(await delivery().deliverDue()).toBeGreaterThanOrEqual(1);

    const eventId = paymentEventId(authorizationId, 'authorized');
    expect(await paymentSignals(orderId)).toEqual([
      {
        eventId,
        type: 'authorized',
        reference: authorizationId,
        amountMinor: 25800,
        at: clock.at.toISOString(),
      },
    ]);
    expect(await events().findOne({ _id: eventId })).toMatchObject({
      delivery: 'signalled',
      expireAt: expect.any(Date), // kept 90 days for redeliveries, then dropped by the TTL index
    });
    expect(await outbox().findOne({ _id: eventId })).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await ledger().findOne({ _id: authorizationId })).toMatchObject({
      outcome: { status: 'authorized' },
    });
  });

  test('a redelivered event is acknowledged as a duplicate and does not signal the order again', async () => {
    const orderId = await runningOrder();
    const authorizationId = await pendingAuthorization(orderId);
    advance(ASYNC_DELAY_MS);
    await delivery().deliverDue();
    const eventId = paymentEventId(authorizationId, 'authorized');
    // The provider missed the acknowledgement and sends the event again.
    await outbox().updateOne(
      { _id: eventId },
      { $set: { status: 'pending', dueAt: clock.at.toISOString() } },
    );
    await delivery().deliverDue();

    expect(await outbox().findOne({ _id: eventId })).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await events().countDocuments({ _id: eventId })).toBe(1);
    expect(await paymentSignals(orderId)).toHaveLength(1);
  });

  test('while the gateway is unreachable the event waits, then is retried until accepted', async () => {
    const orderId = await runningOrder();
    const authorizationId = await pendingAuthorization(orderId);
    advance(ASYNC_DELAY_MS);
    const eventId = paymentEventId(authorizationId, 'authorized');

    expect(await delivery('http://127.0.0.1:9').deliverDue()).toBe(0);
    const waiting = await outbox().findOne({ _id: eventId });
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.any(String) });
    expect(waiting!.dueAt > clock.at.toISOString()).toBe(true);

    advance(60_000);
    await delivery().deliverDue();
    expect(await outbox().findOne({ _id: eventId })).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await paymentSignals(orderId)).toHaveLength(1);
  });

  test('an event for an order that is not running is recorded and acknowledged, not retried forever', async () => {
    const orderId = gateway.newOrderId(); // never started
    const authorizationId = await pendingAuthorization(orderId);
    advance(ASYNC_DELAY_MS);
    await delivery().deliverDue();
    const eventId = paymentEventId(authorizationId, 'authorized');
    expect(await events().findOne({ _id: eventId })).toMatchObject({ delivery: 'order_not_running' });
    expect(await outbox().findOne({ _id: eventId })).toMatchObject({ status: 'delivered' });
  });

  test('the delivery loop sends due events by itself until stopped', async () => {
    const orderId = await runningOrder();
    const authorizationId = await pendingAuthorization(orderId);
    advance(ASYNC_DELAY_MS);
    const loop = delivery().start();
    try {
      const eventId = paymentEventId(authorizationId, 'authorized');
      for (let tries = 0; tries < 100; tries += 1) {
        if ((await outbox().findOne({ _id: eventId }))?.status === 'delivered') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await paymentSignals(orderId)).toHaveLength(1);
    } finally {
      await loop.stop();
    }
  });
});

describe('POST /v1/webhooks/payment passes events to the order', () => {
  const body = (orderId: string, eventId: string) => ({
    eventId,
    type: 'refunded',
    orderId,
    amountMinor: 500,
    currency: 'EUR',
    reference: `refund:${orderId}:1`,
    at: '2030-01-02T00:00:00.000Z',
  });
  const send = (payload: object) =>
    request(gateway.app).post('/v1/webhooks/payment').set(AUTH.payment).send(payload);

  test('signals the running order with the event', async () => {
    const orderId = await runningOrder();
    const response = await send(body(orderId, `evt_direct_${orderId}`));
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: true, duplicate: false });
    expect(await paymentSignals(orderId)).toEqual([
      {
        eventId: `evt_direct_${orderId}`,
        type: 'refunded',
        reference: `refund:${orderId}:1`,
        amountMinor: 500,
        at: '2030-01-02T00:00:00.000Z',
      },
    ]);
  });

  test('a redelivery whose first delivery never reached the order passes it on then', async () => {
    const orderId = await runningOrder();
    const eventId = `evt_retry_${orderId}`;
    expect((await send(body(orderId, eventId))).status).toBe(202);
    // As if the first attempt had recorded the event and then lost Temporal before signalling.
    await events().updateOne({ _id: eventId }, { $unset: { delivery: '', deliveredAt: '' } });
    const redelivered = await send(body(orderId, eventId));
    expect(redelivered.body).toEqual({ accepted: true, duplicate: true });
    expect(await paymentSignals(orderId)).toHaveLength(2); // the order dedupes by eventId
    expect(await events().findOne({ _id: eventId })).toMatchObject({ delivery: 'signalled' });
  });
});
