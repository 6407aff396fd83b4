import type { OrderView } from '../../src/domain/order-view';
import type { LiveStack } from './support/live-stack';
import {
  countOperations,
  eventsOf,
  expectStatus,
  fulfillmentAt,
  pause,
  paymentSummary,
  readOrder,
  readStock,
  reportCarrierEvent,
  shipFulfillment,
  stockDrift,
  waitForStatus,
  waitForNotificationsSent,
} from './support/order-driver';
import { OTHER_PRICE, PRICE, placeSplitOrder, startSeededStack } from './support/lifecycle-fixtures';

// The worker process is stopped and a fresh one started (nothing cached: every order is replayed from its
// history) at two points of a split order's life, on the real stack. The provider and the carrier lose the
// first answer to every operation, so each call is retried: still, every reservation must be settled and every
// payment operation must happen once. The steps share the order and run in this order.

const TOTAL = 2 * PRICE + OTHER_PRICE;

describe('the worker is stopped and restarted mid-order', () => {
  let stack: LiveStack;
  let orderId: string;
  let lyonSku: string;
  let parisSku: string;
  let confirmed: OrderView;
  const tracking: string[] = [];

  beforeAll(async () => {
    stack = await startSeededStack({
      name: 'restart',
      simulation: 'manual',
      loseFirstAnswers: true,
      backgroundLoops: true,
    });
    ({ orderId, lyonSku, parisSku } = await placeSplitOrder(stack));
    confirmed = await waitForStatus(stack, orderId, 'confirmed');
  }, 120_000);

  afterAll(async () => {
    await stack?.startWorker().catch(() => undefined); // running already, unless a step failed without one
    await stack?.stop();
  }, 60_000);

  test('between confirmation and shipment: a ship request sent while no worker runs is answered once one is back', async () => {
    await stack.stopWorker();
    const lyon = fulfillmentAt(confirmed, 'WH-LYON').fulfillmentId;
    const shipping = stack.call('POST', `/v1/fulfillments/${lyon}/ship`, 'node');
    await pause(1_000);
    await stack.startWorker();
    const answer = expectStatus(await shipping, 200);
    tracking.push(answer.body.trackingNumber as string);
    tracking.push(await shipFulfillment(stack, fulfillmentAt(confirmed, 'WH-PARIS').fulfillmentId));
    const view = await waitForStatus(stack, orderId, 'shipped');
    expect(view.payment.capturedMinor).toBe(TOTAL);
  });

  test('between shipment and delivery: carrier events that arrive while no worker runs are applied after', async () => {
    await stack.stopWorker();
    for (const trackingNumber of tracking) {
      await reportCarrierEvent(stack, trackingNumber, 'in_transit');
      await reportCarrierEvent(stack, trackingNumber, 'delivered');
    }
    await pause(500);
    expect((await readOrder(stack, orderId)).status).toBe('shipped'); // nothing moves without a worker
    await stack.startWorker();
    const view = await waitForStatus(stack, orderId, 'completed');
    expect(view.fulfillments.map((f) => f.status)).toEqual(['delivered', 'delivered']);
  });

  test('every reservation is settled: the shipped units left their nodes and none stays reserved', async () => {
    expect(await readStock(stack, lyonSku, 'WH-LYON')).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect(await readStock(stack, parisSku, 'WH-PARIS')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await stockDrift(stack, [lyonSku, parisSku])).toEqual([]);
  });

  test('every payment operation happened once: one authorisation, one capture per parcel', async () => {
    const money = await paymentSummary(stack, orderId);
    expect(countOperations(money)).toEqual({ authorize: 1, capture: 2 });
    expect(money).toMatchObject({
      authorizedMinor: TOTAL,
      capturedMinor: TOTAL,
      voidedMinor: 0,
      openMinor: 0,
      accountsAgree: true,
    });
  });

  test('each parcel was booked with the carrier once (the retry after the lost answer got the same label)', () => {
    const parcels = confirmed.fulfillments.map((f) => f.fulfillmentId).sort();
    const booked = stack
      .bookings()
      .filter((b) => b.orderId === orderId)
      .map((b) => b.fulfillmentId)
      .sort();
    expect(booked).toEqual([...parcels, ...parcels].sort()); // the call and its retry, per parcel
    expect(new Set(tracking).size).toBe(2);
  });

  test('each notification is in the outbox once and sent once, across the restarts', async () => {
    const entries = await waitForNotificationsSent(stack, orderId, 5);
    expect(eventsOf(entries)).toEqual(['delivered', 'delivered', 'order_confirmed', 'shipped', 'shipped']);
    expect(entries.map((e) => e.attempts)).toEqual(entries.map(() => 1));
  });
});
