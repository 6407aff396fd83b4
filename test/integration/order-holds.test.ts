import type { OrderView } from '../../src/domain/order-view';
import type { LiveStack } from './support/live-stack';
import {
  countOperations,
  eventsOf,
  expectStatus,
  orderBody,
  paymentSummary,
  placeOrder,
  readNotifications,
  readOrder,
  readStock,
  seedProduct,
  shipAndDeliverAll,
  waitForStatus,
  waitForNotificationsSent,
} from './support/order-driver';
import { LYON_ADDRESS, LYON_NODE, startSeededStack } from './support/lifecycle-fixtures';

// Holds on the real stack: a fraud review (tok_review) and an agent's manual hold. Nothing ships while an
// order is held; a release lets it continue where it stopped, and it completes with its money moved once.

const PRICE = 6900;

describe('holds on the real stack', () => {
  let stack: LiveStack;

  beforeAll(async () => {
    stack = await startSeededStack({ name: 'holds', simulation: 'manual', backgroundLoops: true }, LYON_NODE);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const placeOne = async (token: string) => {
    const sku = await seedProduct(stack, PRICE, { 'WH-LYON': 4 });
    const orderId = await placeOrder(
      stack,
      orderBody([{ lineId: 'l1', sku, quantity: 2, unitPriceMinor: PRICE }], LYON_ADDRESS, token),
    );
    return { sku, orderId };
  };

  describe('a payment flagged for fraud review (tok_review)', () => {
    let sku: string;
    let orderId: string;

    beforeAll(async () => {
      ({ sku, orderId } = await placeOne('tok_review'));
    });

    test('puts the order on hold with its stock reserved and nothing handed to a node', async () => {
      const view = await waitForStatus(stack, orderId, 'on_hold');
      expect(view.hold).toMatchObject({ kind: 'fraud_review', actor: 'payment' });
      expect(view.payment.status).toBe('review');
      expect(view.fulfillments).toEqual([]);
      expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ reserved: 2 });
      // No fulfilment exists for node staff to ship while the review lasts.
      expect((await stack.call('POST', `/v1/fulfillments/${orderId}-F1/ship`, 'node')).status).toBe(404);
    });

    test('a second hold on a held order is refused (409)', async () => {
      const answer = await stack.call('POST', `/v1/orders/${orderId}/holds`, 'agent', { reason: 'again' });
      expect(answer.status).toBe(409);
      expect(answer.body.detail).toContain('already on hold');
    });

    test('an agent’s release confirms the order, which then ships and completes, captured once', async () => {
      const released = expectStatus(
        await stack.call('POST', `/v1/orders/${orderId}/holds/release`, 'agent', {
          reason: 'customer verified',
        }),
        200,
      ).body as OrderView;
      expect(released.hold).toBeUndefined();
      const confirmed = await waitForStatus(stack, orderId, 'confirmed');
      expect(confirmed.fulfillments).toHaveLength(1);

      await shipAndDeliverAll(stack, orderId);
      const done = await waitForStatus(stack, orderId, 'completed');
      expect(done.payment).toMatchObject({ capturedMinor: 2 * PRICE });
      const money = await paymentSummary(stack, orderId);
      expect(countOperations(money)).toEqual({ authorize: 1, capture: 1 });
      expect(money).toMatchObject({ capturedMinor: 2 * PRICE, openMinor: 0, accountsAgree: true });
      expect(await readStock(stack, sku, 'WH-LYON')).toEqual({ onHand: 2, reserved: 0, available: 2 });
    });

    test('the customer heard of the review once, then of confirmation, shipment and delivery', async () => {
      const entries = await waitForNotificationsSent(stack, orderId, 4);
      expect(eventsOf(entries)).toEqual(['delivered', 'order_confirmed', 'payment_review', 'shipped']);
    });
  });

  describe('a manual hold by an agent', () => {
    let sku: string;
    let orderId: string;
    let fulfillmentId: string;

    beforeAll(async () => {
      ({ sku, orderId } = await placeOne('tok_ok'));
      const view = await waitForStatus(stack, orderId, 'confirmed');
      fulfillmentId = view.fulfillments[0]?.fulfillmentId ?? '';
    });

    test('a channel may not hold an order (403)', async () => {
      const answer = await stack.call('POST', `/v1/orders/${orderId}/holds`, 'channel', { reason: 'no' });
      expect(answer.status).toBe(403);
    });

    test('releasing an order that is not held is refused (409)', async () => {
      expect((await stack.call('POST', `/v1/orders/${orderId}/holds/release`, 'agent', {})).status).toBe(409);
    });

    test('the held order is on_hold and its parcel may not ship (409 order-on-hold)', async () => {
      const held = expectStatus(
        await stack.call('POST', `/v1/orders/${orderId}/holds`, 'agent', { reason: 'address looks odd' }),
        200,
      ).body as OrderView;
      expect(held.status).toBe('on_hold');
      expect(held.hold).toMatchObject({
        kind: 'manual',
        reason: 'address looks odd',
        actor: expect.stringMatching(/^agent:/),
      });

      const ship = await stack.call('POST', `/v1/fulfillments/${fulfillmentId}/ship`, 'node');
      expect(ship.status).toBe(409);
      expect(ship.body.type).toContain('order-on-hold');
      const view = await readOrder(stack, orderId);
      expect(view.fulfillments[0]?.status).toBe('created');
      expect(view.payment.capturedMinor).toBe(0);
      expect(stack.bookings().filter((b) => b.fulfillmentId === fulfillmentId)).toEqual([]);
    });

    test('once released, the order continues where it stopped: it ships and completes', async () => {
      const released = expectStatus(
        await stack.call('POST', `/v1/orders/${orderId}/holds/release`, 'agent'),
        200,
      ).body as OrderView;
      expect(released.status).toBe('confirmed');

      await shipAndDeliverAll(stack, orderId);
      const done = await waitForStatus(stack, orderId, 'completed');
      expect(done.timeline.map((e) => e.type)).toEqual(
        expect.arrayContaining(['on_hold', 'hold_released', 'fulfillment_shipped', 'completed']),
      );
      const money = await paymentSummary(stack, orderId);
      expect(countOperations(money)).toEqual({ authorize: 1, capture: 1 });
      expect(money).toMatchObject({ capturedMinor: 2 * PRICE, openMinor: 0 });
      expect(await readStock(stack, sku, 'WH-LYON')).toEqual({ onHand: 2, reserved: 0, available: 2 });
      const entries = await readNotifications(stack, orderId);
      expect(entries.filter((e) => e.event === 'on_hold')).toHaveLength(1);
    });
  });
});
