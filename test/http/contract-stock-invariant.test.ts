import request from 'supertest';
import type { OrderView } from '../../src/domain/order-view';
import { OrderTestEnv } from '../workflow/support/order-test-env';
import { AUTH } from './gateway-harness';
import { gatewayOverWorker } from './gateway-over-worker';

// CONTRACT.md, "Invariant, always": for every SKU and node 0 <= reserved <= onHand, and units confirmed to
// customers never exceed the stock that existed — here through the public routes, with concurrent orders
// and stock changes racing them, against the real order workflow.
const env = new OrderTestEnv('http-contract-stock');
const gateway = gatewayOverWorker(env);
const api = () => request(gateway.app);

async function settledViews(orderIds: string[]): Promise<OrderView[]> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const views = await Promise.all(
      orderIds.map(async (id) => (await api().get(`/v1/orders/${id}`).set(AUTH.agent)).body as OrderView),
    );
    if (views.every((view) => view.status !== 'received')) return views;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('some orders never left received');
}

async function stockRecord(sku: string) {
  const response = await api().get(`/v1/inventory/${sku}/WH-LYON`).set(AUTH.admin);
  expect(response.status).toBe(200);
  return response.body as { onHand: number; reserved: number; available: number };
}

test('12 concurrent one-unit orders over 5 units confirm exactly 5, and the record stays within its stock', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const orders = Array.from({ length: 12 }, () =>
    env.orderRequest(sku, { lines: [{ lineId: 'l1', sku, quantity: 1, unitPriceMinor: 1000 }] }),
  );
  const placed = await Promise.all(
    orders.map((order) => api().post('/v1/orders').set(AUTH.channel).send(order)),
  );
  expect(placed.map((response) => response.status)).toEqual(orders.map(() => 201));

  const views = await settledViews(orders.map((order) => order.orderId));
  expect(views.filter((view) => view.status === 'confirmed')).toHaveLength(5);
  expect(await stockRecord(sku)).toMatchObject({ onHand: 5, reserved: 5, available: 0 });
}, 90_000);

test('stock taken away while orders race for it never leaves more reserved than on hand', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 6 });
  // The admin routes know stock of catalogue products only.
  await env.listProduct(sku, { name: 'Hot item', priceMinor: 1000 });
  const orders = Array.from({ length: 8 }, () =>
    env.orderRequest(sku, { lines: [{ lineId: 'l1', sku, quantity: 1, unitPriceMinor: 1000 }] }),
  );
  const adjustments = Array.from({ length: 3 }, () =>
    api()
      .post('/v1/inventory/adjustments')
      .set(AUTH.admin)
      .send({ sku, nodeId: 'WH-LYON', delta: -1, reason: 'damaged in the warehouse' }),
  );
  const [placed, adjusted] = await Promise.all([
    Promise.all(orders.map((order) => api().post('/v1/orders').set(AUTH.channel).send(order))),
    Promise.all(adjustments),
  ]);
  expect(placed.every((response) => response.status === 201)).toBe(true);
  for (const response of adjusted) expect([200, 409]).toContain(response.status);

  const views = await settledViews(orders.map((order) => order.orderId));
  const record = await stockRecord(sku);
  const confirmed = views.filter((view) => view.status === 'confirmed').length;
  expect(record.reserved).toBeGreaterThanOrEqual(0);
  expect(record.reserved).toBeLessThanOrEqual(record.onHand);
  expect(confirmed).toBe(record.reserved);
  expect(confirmed + adjusted.filter((response) => response.status === 200).length).toBeLessThanOrEqual(6);

  const drift = await api().get(`/v1/inventory/reconciliation?sku=${sku}`).set(AUTH.admin);
  expect(drift.body.drift).toEqual([]);
}, 90_000);
