import type { OrderView } from '../../src/domain/order-view';
import type { LiveStack } from './support/live-stack';
import {
  countOperations,
  expectStatus,
  orderBody,
  paymentSummary,
  placeOrder,
  readOrder,
  readStock,
  seedProduct,
  shipAndDeliverAll,
  stockDrift,
  waitForStatus,
} from './support/order-driver';
import { LYON_ADDRESS, LYON_NODE, startSeededStack } from './support/lifecycle-fixtures';

// An agent changes a line's quantity through PATCH /v1/orders/{id} on the real stack: the order workflow's
// own yes or no, with the stock and the provider's books following. The steps share one order, in order.

const PRICE = 4500;
const ON_HAND = 5;

describe('quantity changes through PATCH on the real stack', () => {
  let stack: LiveStack;
  let sku: string;
  let orderId: string;

  const patchLine = (quantity: number) =>
    stack.call('PATCH', `/v1/orders/${orderId}`, 'agent', { lines: [{ lineId: 'l1', quantity }] });

  beforeAll(async () => {
    stack = await startSeededStack({ name: 'quantity', simulation: 'manual' }, LYON_NODE);
    sku = await seedProduct(stack, PRICE, { 'WH-LYON': ON_HAND });
    orderId = await placeOrder(
      stack,
      orderBody([{ lineId: 'l1', sku, quantity: 3, unitPriceMinor: PRICE }], LYON_ADDRESS),
    );
    await waitForStatus(stack, orderId, 'confirmed');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  test('only agents may change an order (a channel gets 403)', async () => {
    expect(
      (
        await stack.call('PATCH', `/v1/orders/${orderId}`, 'channel', {
          lines: [{ lineId: 'l1', quantity: 1 }],
        })
      ).status,
    ).toBe(403);
    expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ reserved: 3 });
  });

  test('lowering a line lowers its reservation and voids the difference', async () => {
    const view = expectStatus(await patchLine(1), 200).body as OrderView;
    expect(view.lines[0]).toMatchObject({ lineId: 'l1', quantity: 1 });
    expect(view.totalMinor).toBe(PRICE);
    expect(view.fulfillments.flatMap((f) => f.lines)).toEqual([{ lineId: 'l1', quantity: 1 }]);
    expect(await readStock(stack, sku, 'WH-LYON')).toEqual({ onHand: ON_HAND, reserved: 1, available: 4 });
    expect(await paymentSummary(stack, orderId)).toMatchObject({
      authorizedMinor: 3 * PRICE,
      voidedMinor: 2 * PRICE,
      openMinor: PRICE,
    });
  });

  test('raising a line beyond the stock is refused (409) with the reason, and nothing changes', async () => {
    const answer = await patchLine(10);
    expect(answer.status).toBe(409);
    expect(answer.body.type).toContain('insufficient-stock');
    expect(answer.body.detail).toBe(`Not enough ${sku} in stock for 9 more unit(s).`);

    const view = await readOrder(stack, orderId);
    expect(view.lines[0]).toMatchObject({ quantity: 1 });
    expect(view.totalMinor).toBe(PRICE);
    expect(await readStock(stack, sku, 'WH-LYON')).toEqual({ onHand: ON_HAND, reserved: 1, available: 4 });
    expect(countOperations(await paymentSummary(stack, orderId))).toEqual({ authorize: 1, void: 1 });
  });

  test('raising a line within the stock reserves the extra units and authorises their price', async () => {
    const view = expectStatus(await patchLine(4), 200).body as OrderView;
    expect(view.lines[0]).toMatchObject({ quantity: 4 });
    expect(view.totalMinor).toBe(4 * PRICE);
    expect(view.fulfillments.flatMap((f) => f.lines).reduce((n, l) => n + l.quantity, 0)).toBe(4);
    expect(await readStock(stack, sku, 'WH-LYON')).toEqual({ onHand: ON_HAND, reserved: 4, available: 1 });

    const money = await paymentSummary(stack, orderId);
    expect(countOperations(money)).toEqual({ authorize: 2, void: 1 });
    const authorizations = money.operations.filter((op) => op.operation === 'authorize');
    expect(authorizations.map((op) => op.amountMinor)).toEqual([3 * PRICE, 3 * PRICE]);
    expect(money).toMatchObject({ authorizedMinor: 6 * PRICE, voidedMinor: 2 * PRICE, openMinor: 4 * PRICE });
  });

  test('the changed order ships and completes with exactly its new quantity captured', async () => {
    await shipAndDeliverAll(stack, orderId);
    const view = await waitForStatus(stack, orderId, 'completed');
    expect(view.payment).toMatchObject({ capturedMinor: 4 * PRICE });
    expect(await paymentSummary(stack, orderId)).toMatchObject({
      capturedMinor: 4 * PRICE,
      voidedMinor: 2 * PRICE,
      openMinor: 0,
      accountsAgree: true,
    });
    expect(await readStock(stack, sku, 'WH-LYON')).toEqual({
      onHand: ON_HAND - 4,
      reserved: 0,
      available: 1,
    });
    expect(await stockDrift(stack, [sku])).toEqual([]);
  });

  test('a completed order accepts no more changes (409)', async () => {
    const answer = await patchLine(1);
    expect(answer.status).toBe(409);
    expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ reserved: 0 });
  });
});
