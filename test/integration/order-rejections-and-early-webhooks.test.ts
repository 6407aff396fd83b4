import type { LiveStack } from './support/live-stack';
import {
  countOperations,
  expectStatus,
  fulfillmentAt,
  orderBody,
  paymentSummary,
  pause,
  placeOrder,
  readOrder,
  readStock,
  seedProduct,
  waitForOrder,
  waitForStatus,
} from './support/order-driver';
import { LYON_ADDRESS, PRICE, startSeededStack } from './support/lifecycle-fixtures';

// Node rejections no other node can (fully) cover, and a provider webhook that arrives before the retried
// authorisation call is answered: on the real stack (gateway, worker, simulated provider and nodes).

describe('order rejections and early payment webhooks on the real stack', () => {
  let stack: LiveStack;

  beforeAll(async () => {
    stack = await startSeededStack({
      name: 'rejections',
      simulation: 'manual',
      loseFirstAnswers: true,
      backgroundLoops: true,
      paymentAsyncDelayMs: 300, // the provider decides before the retried authorisation call is answered
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const placeAndReject = async (onHand: Record<string, number>) => {
    const sku = await seedProduct(stack, PRICE, onHand);
    const orderId = await placeOrder(
      stack,
      orderBody([{ lineId: 'l1', sku, quantity: 2, unitPriceMinor: PRICE }], LYON_ADDRESS),
    );
    const parcel = fulfillmentAt(await waitForStatus(stack, orderId, 'confirmed'), 'WH-LYON').fulfillmentId;
    expectStatus(
      await stack.call('POST', `/v1/fulfillments/${parcel}/reject`, 'node', { reason: 'shelf empty' }),
      200,
    );
    return { sku, orderId };
  };

  test('a rejection no node can cover cancels the order with everything voided', async () => {
    const { sku, orderId } = await placeAndReject({ 'WH-LYON': 2 });
    const view = await waitForStatus(stack, orderId, 'cancelled', 15_000);
    expect(view.lines[0]).toMatchObject({ status: 'cancelled', cancelledQuantity: 2 });
    expect(await readStock(stack, sku, 'WH-LYON')).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(await paymentSummary(stack, orderId)).toMatchObject({ voidedMinor: 2 * PRICE, openMinor: 0 });
  });

  test('a rejection another node covers in part sends what it has and cancels only the rest', async () => {
    // 2 written off at Lyon; its 1 unit left does not count for these units (its count was just proven wrong).
    const { sku, orderId } = await placeAndReject({ 'WH-LYON': 3, 'WH-PARIS': 1 });
    await waitForOrder(stack, orderId, 'a replacement fulfilment', (v) => v.fulfillments.length > 1);
    await pause(1_500); // the order has reacted to the rejection by now
    const view = await readOrder(stack, orderId);
    expect(view.status).toBe('confirmed');
    const replacement = view.fulfillments.find((f) => f.status === 'created');
    expect(replacement).toMatchObject({ nodeId: 'WH-PARIS', lines: [{ lineId: 'l1', quantity: 1 }] });
    expect(view.lines[0]).toMatchObject({ cancelledQuantity: 1 });
    expect(await readStock(stack, sku, 'WH-LYON')).toEqual({ onHand: 1, reserved: 0, available: 1 });
    expect(await readStock(stack, sku, 'WH-PARIS')).toEqual({ onHand: 1, reserved: 1, available: 0 });
    expect(await paymentSummary(stack, orderId)).toMatchObject({ voidedMinor: PRICE, openMinor: PRICE });
  });

  // The webhook lands while authorizePayment is still being retried (its first answers are lost): the order
  // remembers it and looks the authorisation up as soon as the call answers `pending`, not 15 minutes later.
  test('a provider decline whose webhook beats the retried authorisation answer fails the order at once', async () => {
    const sku = await seedProduct(stack, PRICE, { 'WH-LYON': 4 });
    const orderId = await placeOrder(
      stack,
      orderBody(
        [{ lineId: 'l1', sku, quantity: 1, unitPriceMinor: PRICE }],
        LYON_ADDRESS,
        'tok_async_decline',
      ),
    );
    await waitForStatus(stack, orderId, 'payment_failed', 15_000);
    expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ reserved: 0 });
    expect(countOperations(await paymentSummary(stack, orderId))).toEqual({ authorize: 1 });
  });
});
