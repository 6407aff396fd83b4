import type { OrderView } from '../../src/domain/order-view';
import type { LiveStack } from './support/live-stack';
import {
  countOperations,
  eventsOf,
  expectStatus,
  fulfillmentAt,
  orderBody,
  paymentSummary,
  placeOrder,
  readStock,
  reportCarrierEvent,
  seedProduct,
  shipFulfillment,
  stockDrift,
  waitForOrder,
  waitForStatus,
  waitForNotificationsSent,
} from './support/order-driver';
import { LYON_ADDRESS, OTHER_PRICE, PRICE, startSeededStack } from './support/lifecycle-fixtures';

// Carrier failures on the real stack: bookings whose first answer is lost (retried) and parcels the carrier
// reports lost (`exception`). An agent decides: send the units again (already paid: nothing is captured
// twice) or refund that parcel's share (once).

describe('parcels the carrier loses', () => {
  let stack: LiveStack;

  beforeAll(async () => {
    stack = await startSeededStack({
      name: 'carrier',
      simulation: 'manual',
      loseFirstAnswers: true,
      backgroundLoops: true,
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  /** Waits until the order has applied the carrier's exception for this parcel. */
  const waitForException = (orderId: string, fulfillmentId: string) =>
    waitForOrder(stack, orderId, `${fulfillmentId} in exception`, (view) =>
      view.fulfillments.some((f) => f.fulfillmentId === fulfillmentId && f.status === 'exception'),
    );

  test('a lost parcel sent again is delivered from another node and its money is captured only once', async () => {
    const sku = await seedProduct(stack, PRICE, { 'WH-LYON': 3, 'WH-PARIS': 3 });
    const orderId = await placeOrder(
      stack,
      orderBody([{ lineId: 'l1', sku, quantity: 2, unitPriceMinor: PRICE }], LYON_ADDRESS),
    );
    const lost = fulfillmentAt(await waitForStatus(stack, orderId, 'confirmed'), 'WH-LYON').fulfillmentId;
    await reportCarrierEvent(stack, await shipFulfillment(stack, lost), 'exception');
    await waitForException(orderId, lost);

    const resolved = expectStatus(
      await stack.call('POST', `/v1/fulfillments/${lost}/resolve`, 'agent', { action: 'reship' }),
      200,
    ).body as OrderView;
    expect(resolved.fulfillments.find((f) => f.fulfillmentId === lost)?.resolution).toBe('reship');
    // Lyon has one unit left after the lost parcel took two: the engine sends them from Paris.
    const again = fulfillmentAt(resolved, 'WH-PARIS');
    expect(again).toMatchObject({ status: 'created', lines: [{ lineId: 'l1', quantity: 2 }] });
    const second = await stack.call('POST', `/v1/fulfillments/${lost}/resolve`, 'agent', {
      action: 'refund',
    });
    expect(second.status).toBe(409); // decided once

    await reportCarrierEvent(stack, await shipFulfillment(stack, again.fulfillmentId), 'delivered');
    const view = await waitForStatus(stack, orderId, 'completed');
    expect(view.payment).toMatchObject({ capturedMinor: 2 * PRICE, refundedMinor: 0 });
    const money = await paymentSummary(stack, orderId);
    expect(countOperations(money)).toEqual({ authorize: 1, capture: 1 });
    expect(money).toMatchObject({ capturedMinor: 2 * PRICE, openMinor: 0, accountsAgree: true });
    expect(await readStock(stack, sku, 'WH-LYON')).toEqual({ onHand: 1, reserved: 0, available: 1 });
    expect(await readStock(stack, sku, 'WH-PARIS')).toEqual({ onHand: 1, reserved: 0, available: 1 });
    expect(await stockDrift(stack, [sku])).toEqual([]);
  });

  test('a lost parcel of a split order refunded: its share is refunded once, the rest delivered', async () => {
    const kept = await seedProduct(stack, PRICE, { 'WH-LYON': 3 });
    const lostSku = await seedProduct(stack, OTHER_PRICE, { 'WH-PARIS': 3 });
    const orderId = await placeOrder(
      stack,
      orderBody(
        [
          { lineId: 'l1', sku: kept, quantity: 1, unitPriceMinor: PRICE },
          { lineId: 'l2', sku: lostSku, quantity: 1, unitPriceMinor: OTHER_PRICE },
        ],
        LYON_ADDRESS,
      ),
    );
    const confirmed = await waitForStatus(stack, orderId, 'confirmed');
    const delivered = fulfillmentAt(confirmed, 'WH-LYON').fulfillmentId;
    const lost = fulfillmentAt(confirmed, 'WH-PARIS').fulfillmentId;
    const deliveredTracking = await shipFulfillment(stack, delivered);
    await reportCarrierEvent(stack, await shipFulfillment(stack, lost), 'exception');
    await reportCarrierEvent(stack, deliveredTracking, 'delivered');
    await waitForException(orderId, lost);

    expectStatus(
      await stack.call('POST', `/v1/fulfillments/${lost}/resolve`, 'agent', { action: 'refund' }),
      200,
    );
    const view = await waitForStatus(stack, orderId, 'completed');
    expect(view.lines.map((l) => [l.lineId, l.status])).toEqual([
      ['l1', 'delivered'],
      ['l2', 'cancelled'],
    ]);
    expect(view.payment).toMatchObject({ capturedMinor: PRICE + OTHER_PRICE, refundedMinor: OTHER_PRICE });
    const money = await paymentSummary(stack, orderId);
    expect(countOperations(money)).toEqual({ authorize: 1, capture: 2, refund: 1 });
    expect(money).toMatchObject({ refundedMinor: OTHER_PRICE, openMinor: 0, accountsAgree: true });
    expect(await stockDrift(stack, [kept, lostSku])).toEqual([]);

    const entries = await waitForNotificationsSent(stack, orderId, 6);
    expect(eventsOf(entries)).toEqual([
      'carrier_exception',
      'delivered',
      'order_confirmed',
      'refunded',
      'shipped',
      'shipped',
    ]);
  });
});
