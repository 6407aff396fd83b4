import type { OrderView } from '../../src/domain/order-view';
import type { LiveStack } from './support/live-stack';
import {
  countOperations,
  expectStatus,
  orderBody,
  paymentSummary,
  placeOrder,
  readNotifications,
  readOrder,
  readStock,
  seedProduct,
  shipAndDeliverAll,
  stockDrift,
  waitForStatus,
} from './support/order-driver';
import { LYON_ADDRESS, OTHER_PRICE, PRICE, startSeededStack } from './support/lifecycle-fixtures';
import { PARIS_ADDRESS } from '../support/addresses';

// An agent adds a line, moves the order to Paris and asks for express through PATCH /v1/orders/{id} on the
// real stack (gateway, worker, database, payment and carrier simulators): each answer is the workflow's own,
// the stock follows every step, and the provider's books show each unit of money moved exactly once. The
// steps share one order, in order.

describe('agents change an order through PATCH on the real stack', () => {
  let stack: LiveStack;
  let coat: string;
  let scarf: string;
  let orderId: string;

  const patchOrder = (body: object) => stack.call('PATCH', `/v1/orders/${orderId}`, 'agent', body);

  beforeAll(async () => {
    stack = await startSeededStack({ name: 'agent-changes', simulation: 'manual' });
    coat = await seedProduct(stack, PRICE, { 'WH-LYON': 2, 'WH-PARIS': 2 });
    scarf = await seedProduct(stack, OTHER_PRICE, { 'WH-PARIS': 3 });
    orderId = await placeOrder(
      stack,
      orderBody([{ lineId: 'l1', sku: coat, quantity: 2, unitPriceMinor: PRICE }], LYON_ADDRESS),
    );
    const confirmed = await waitForStatus(stack, orderId, 'confirmed');
    expect(confirmed.fulfillments.map((f) => f.nodeId)).toEqual(['WH-LYON']);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  test('an added line is reserved at the node that has it and authorised on top', async () => {
    const view = expectStatus(
      await patchOrder({ addLines: [{ sku: scarf, quantity: 1, unitPriceMinor: OTHER_PRICE }] }),
      200,
    ).body as OrderView;
    expect(view.lines.map((l) => [l.lineId, l.quantity, l.status])).toEqual([
      ['l1', 2, 'reserved'],
      ['L2', 1, 'reserved'],
    ]);
    expect(view.totalMinor).toBe(2 * PRICE + OTHER_PRICE);
    expect(await readStock(stack, scarf, 'WH-PARIS')).toEqual({ onHand: 3, reserved: 1, available: 2 });
    const money = await paymentSummary(stack, orderId);
    expect(money.operations.filter((op) => op.operation === 'authorize').map((op) => op.amountMinor)).toEqual(
      [2 * PRICE, OTHER_PRICE],
    );
    expect(money).toMatchObject({ authorizedMinor: 2 * PRICE + OTHER_PRICE, capturedMinor: 0 });
  });

  test('a line nobody stocks is refused (409 insufficient-stock) and nothing changes', async () => {
    const nowhere = await seedProduct(stack, 100, {});
    const answer = await patchOrder({ addLines: [{ sku: nowhere, quantity: 1, unitPriceMinor: 100 }] });
    expect(answer.status).toBe(409);
    expect(answer.body.type).toContain('insufficient-stock');
    const view = await readOrder(stack, orderId);
    expect(view.lines).toHaveLength(2);
    expect(countOperations(await paymentSummary(stack, orderId))).toEqual({ authorize: 2 });
  });

  test('moving the order to Paris sends the coats from Paris instead: Lyon’s stock is given back, no money moves', async () => {
    const view = expectStatus(await patchOrder({ address: PARIS_ADDRESS }), 200).body as OrderView;
    // The scarf's parcel stays in Paris; the coats' Lyon parcel is stopped (its lines taken off) and replaced.
    const coats = view.fulfillments.filter((f) => !f.lines.some((l) => l.lineId === 'L2'));
    expect(coats.map((f) => [f.nodeId, f.status])).toEqual([
      ['WH-LYON', 'cancelled'],
      ['WH-PARIS', 'created'],
    ]);
    expect(view.timeline.find((e) => e.type === 'rerouted')?.actor).toMatch(/^agent:/);
    expect(await readStock(stack, coat, 'WH-LYON')).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect(await readStock(stack, coat, 'WH-PARIS')).toEqual({ onHand: 2, reserved: 2, available: 0 });
    expect(countOperations(await paymentSummary(stack, orderId))).toEqual({ authorize: 2 });
  });

  test('express is taken for the parcels still at their node, at no new charge', async () => {
    const view = expectStatus(await patchOrder({ speed: 'express' }), 200).body as OrderView;
    expect(view.delivery).toMatchObject({ speed: 'express', address: PARIS_ADDRESS });
    expect(view.timeline.at(-1)).toMatchObject({ type: 'speed_changed' });
    expect(countOperations(await paymentSummary(stack, orderId))).toEqual({ authorize: 2 });
  });

  test('the changed order completes: each unit of money moved once, the stock reconciles', async () => {
    await shipAndDeliverAll(stack, orderId);
    const view = await waitForStatus(stack, orderId, 'completed');
    const total = 2 * PRICE + OTHER_PRICE;
    expect(view.payment).toMatchObject({ authorizedMinor: total, capturedMinor: total, voidedMinor: 0 });
    const money = await paymentSummary(stack, orderId);
    expect(money).toMatchObject({
      authorizedMinor: total,
      capturedMinor: total,
      voidedMinor: 0,
      refundedMinor: 0,
      openMinor: 0,
      accountsAgree: true,
    });
    // Captures may take a share from each authorisation; what counts is that no key moved twice.
    expect(countOperations(money)).toMatchObject({ authorize: 2 });
    expect(countOperations(money)).not.toHaveProperty('void');
    expect(new Set(money.operations.map((op) => op.key)).size).toBe(money.operations.length);
    expect(await readStock(stack, coat, 'WH-LYON')).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect(await readStock(stack, coat, 'WH-PARIS')).toEqual({ onHand: 0, reserved: 0, available: 0 });
    expect(await readStock(stack, scarf, 'WH-PARIS')).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect(await stockDrift(stack, [coat, scarf])).toEqual([]);
    const changes = (await readNotifications(stack, orderId)).filter((n) => n.event === 'order_changed');
    expect(changes).toHaveLength(3);
  });

  test('a completed order takes no more changes (409)', async () => {
    expect((await patchOrder({ speed: 'standard' })).status).toBe(409);
  });
});
