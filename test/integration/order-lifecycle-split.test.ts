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
  readOrder,
  readStock,
  reportCarrierEvent,
  seedProduct,
  shipFulfillment,
  stockDrift,
  waitForOrder,
  waitForStatus,
  waitForNotificationsSent,
} from './support/order-driver';
import { LYON_ADDRESS, startSeededStack } from './support/lifecycle-fixtures';
import { PARIS_ADDRESS } from '../support/addresses';

// One split order driven through the real stack (gateway over HTTP, worker, Temporal, MongoDB), step by
// step as agents, node staff and the carrier would: the steps share the order and run in this order.

const SCARF = 4500;
const BAG = 12000;
const BELT = 8000;

describe('a split order with an address change and a partial cancellation, through the real stack', () => {
  let stack: LiveStack;
  let skus: { scarf: string; bag: string; belt: string };
  let orderId: string;
  let lyonFulfillment: string;
  let parisFulfillment: string;
  const tracking: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startSeededStack({ name: 'split', simulation: 'manual', backgroundLoops: true });
    // Scarves and bags only in Lyon, belts only in Paris: no node can send the whole order.
    skus = {
      scarf: await seedProduct(stack, SCARF, { 'WH-LYON': 5 }),
      bag: await seedProduct(stack, BAG, { 'WH-LYON': 3 }),
      belt: await seedProduct(stack, BELT, { 'WH-PARIS': 4 }),
    };
    orderId = await placeOrder(
      stack,
      orderBody(
        [
          { lineId: 'l1', sku: skus.scarf, quantity: 2, unitPriceMinor: SCARF },
          { lineId: 'l2', sku: skus.bag, quantity: 1, unitPriceMinor: BAG },
          { lineId: 'l3', sku: skus.belt, quantity: 1, unitPriceMinor: BELT },
        ],
        LYON_ADDRESS,
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  test('the order is confirmed as two fulfilments, one per node, with every unit reserved', async () => {
    const view = await waitForStatus(stack, orderId, 'confirmed');
    expect(view.sourcing?.allocations.map((a) => a.nodeId).sort()).toEqual(['WH-LYON', 'WH-PARIS']);
    expect(view.fulfillments).toHaveLength(2);
    const lyon = fulfillmentAt(view, 'WH-LYON');
    const paris = fulfillmentAt(view, 'WH-PARIS');
    expect(lyon.lines).toEqual(
      expect.arrayContaining([
        { lineId: 'l1', quantity: 2 },
        { lineId: 'l2', quantity: 1 },
      ]),
    );
    expect(lyon.lines).toHaveLength(2);
    expect(paris.lines).toEqual([{ lineId: 'l3', quantity: 1 }]);
    lyonFulfillment = lyon.fulfillmentId;
    parisFulfillment = paris.fulfillmentId;

    expect(await readStock(stack, skus.scarf, 'WH-LYON')).toEqual({ onHand: 5, reserved: 2, available: 3 });
    expect(await readStock(stack, skus.bag, 'WH-LYON')).toEqual({ onHand: 3, reserved: 1, available: 2 });
    expect(await readStock(stack, skus.belt, 'WH-PARIS')).toEqual({ onHand: 4, reserved: 1, available: 3 });
    expect(view.payment).toMatchObject({ status: 'authorized', authorizedMinor: 2 * SCARF + BAG + BELT });
  });

  test('an agent changes the address before anything ships: the order answers with the new address', async () => {
    const answer = expectStatus(
      await stack.call('PATCH', `/v1/orders/${orderId}`, 'agent', { address: PARIS_ADDRESS }),
      200,
    );
    const view = answer.body as OrderView;
    expect(view.delivery).toMatchObject({ method: 'ship', address: PARIS_ADDRESS });
    expect(view.timeline.filter((e) => e.type === 'address_changed')).toHaveLength(1);
    expect((await readOrder(stack, orderId)).delivery).toMatchObject({ address: PARIS_ADDRESS });
  });

  test('the first parcel is booked to the new address and the order is partially shipped', async () => {
    tracking[parisFulfillment] = await shipFulfillment(stack, parisFulfillment);
    const booking = stack.bookings().find((b) => b.fulfillmentId === parisFulfillment);
    expect(booking?.to).toMatchObject({ postalCode: PARIS_ADDRESS.postalCode, lat: PARIS_ADDRESS.lat });
    const view = await waitForStatus(stack, orderId, 'partially_shipped');
    expect(view.payment.capturedMinor).toBe(BELT); // a parcel's share is captured when it ships
  });

  test('once a parcel has shipped, the address can no longer change (409) and stays as it was', async () => {
    const answer = await stack.call('PATCH', `/v1/orders/${orderId}`, 'agent', { address: LYON_ADDRESS });
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toContain('already shipped');
    expect((await readOrder(stack, orderId)).delivery).toMatchObject({ address: PARIS_ADDRESS });
  });

  test('a shipped line cannot be cancelled (409)', async () => {
    const answer = await stack.call('POST', `/v1/orders/${orderId}/cancel`, 'agent', {
      lineIds: ['l3'],
      reason: 'customer changed their mind',
    });
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toContain('l3');
    const view = await readOrder(stack, orderId);
    expect(view.lines.find((l) => l.lineId === 'l3')?.cancelledQuantity ?? 0).toBe(0);
  });

  test('cancelling a line of the unshipped fulfilment releases its reservation and voids its share', async () => {
    const answer = expectStatus(
      await stack.call('POST', `/v1/orders/${orderId}/cancel`, 'agent', {
        lineIds: ['l2'],
        reason: 'customer changed their mind',
      }),
      200,
    );
    const view = answer.body as OrderView;
    expect(view.lines.find((l) => l.lineId === 'l2')).toMatchObject({
      status: 'cancelled',
      cancelledQuantity: 1,
    });
    expect(view.lines.filter((l) => l.status === 'cancelled').map((l) => l.lineId)).toEqual(['l2']);
    expect(fulfillmentAt(view, 'WH-LYON').lines).toEqual([{ lineId: 'l1', quantity: 2 }]);

    expect(await readStock(stack, skus.bag, 'WH-LYON')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await readStock(stack, skus.scarf, 'WH-LYON')).toMatchObject({ reserved: 2 });
    const money = await paymentSummary(stack, orderId);
    expect(money).toMatchObject({ voidedMinor: BAG, capturedMinor: BELT, openMinor: 2 * SCARF });
  });

  test('the rest ships to the new address and is delivered: the order completes', async () => {
    tracking[lyonFulfillment] = await shipFulfillment(stack, lyonFulfillment);
    const booking = stack.bookings().find((b) => b.fulfillmentId === lyonFulfillment);
    expect(booking?.to).toMatchObject({ postalCode: PARIS_ADDRESS.postalCode });
    await waitForStatus(stack, orderId, 'shipped');

    for (const trackingNumber of Object.values(tracking)) {
      await reportCarrierEvent(stack, trackingNumber, 'in_transit');
      await reportCarrierEvent(stack, trackingNumber, 'delivered');
    }
    const view = await waitForStatus(stack, orderId, 'completed');
    expect(view.fulfillments.map((f) => [f.fulfillmentId, f.status]).sort()).toEqual(
      [
        [lyonFulfillment, 'delivered'],
        [parisFulfillment, 'delivered'],
      ].sort(),
    );
    expect(view.lines.map((l) => [l.lineId, l.status])).toEqual([
      ['l1', 'delivered'],
      ['l2', 'cancelled'],
      ['l3', 'delivered'],
    ]);
  });

  test('exactly the non-cancelled lines are captured, each operation once, and nothing stays held', async () => {
    const view = await readOrder(stack, orderId);
    expect(view.payment).toMatchObject({ capturedMinor: 2 * SCARF + BELT, refundedMinor: 0 });
    const money = await paymentSummary(stack, orderId);
    expect(money).toMatchObject({
      authorizedMinor: 2 * SCARF + BAG + BELT,
      capturedMinor: 2 * SCARF + BELT,
      voidedMinor: BAG,
      refundedMinor: 0,
      openMinor: 0,
      lapsedMinor: 0,
      accountsAgree: true,
    });
    expect(countOperations(money)).toEqual({ authorize: 1, capture: 2, void: 1 });
  });

  test('the stock left the shipping nodes, nothing stays reserved and reconciliation finds no drift', async () => {
    expect(await readStock(stack, skus.scarf, 'WH-LYON')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await readStock(stack, skus.bag, 'WH-LYON')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await readStock(stack, skus.belt, 'WH-PARIS')).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(await stockDrift(stack, Object.values(skus))).toEqual([]);
  });

  test('the customer is told each thing once: confirmed, changed, shipped, partially cancelled, delivered', async () => {
    const entries = await waitForNotificationsSent(stack, orderId, 7);
    expect(eventsOf(entries)).toEqual([
      'delivered',
      'delivered',
      'order_changed',
      'order_confirmed',
      'partially_cancelled',
      'shipped',
      'shipped',
    ]);
    // One entry per event and subject (each parcel has its own shipped and delivered), each sent once.
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    for (const event of ['shipped', 'delivered'])
      expect(
        entries
          .filter((e) => e.event === event)
          .map((e) => e.id)
          .sort(),
      ).toEqual([`${orderId}:${event}:${lyonFulfillment}`, `${orderId}:${event}:${parisFulfillment}`].sort());
    expect(entries.map((e) => e.attempts)).toEqual(entries.map(() => 1));
  });

  test('the timeline records who did each change', async () => {
    const view = await waitForOrder(stack, orderId, 'the final view', (v) => v.status === 'completed');
    const byType = (type: string) => view.timeline.filter((e) => e.type === type);
    expect(byType('address_changed')[0]?.actor).toMatch(/^agent:/);
    expect(byType('lines_cancelled')).toEqual([
      expect.objectContaining({
        actor: expect.stringMatching(/^agent:/),
        detail: expect.stringContaining(skus.bag),
      }),
    ]);
    expect(byType('completed')).toHaveLength(1);
  });
});
