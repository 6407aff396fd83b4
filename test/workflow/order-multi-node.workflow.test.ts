import type { WorkflowHandle } from '@temporalio/client';
import type { OrderView } from '../../src/domain/order-view';
import { claimNodeCapacity, usedCapacity } from '../../src/network/node-capacity';
import type { SourcingMemo } from '../../workflows/sourcing-summary';
import { waitForView } from './support/order-driver';
import { OrderTestEnv } from './support/order-test-env';
import { runWorkerAroundFile } from './support/order-suite';

// The order workflow on the sourcing engine's plans, over the real database: splits, capacity, races.
const env = new OrderTestEnv('order-multi-node');

const suite = runWorkerAroundFile(env);

/** Ships a fulfilment and waits until the order has taken the change in (its share captured). */
async function ship(handle: WorkflowHandle, fulfillmentId: string): Promise<string> {
  const shipped = await suite.driver.ship(fulfillmentId);
  await waitForView(handle, (view) =>
    view.timeline.some(
      (entry) => entry.type === 'fulfillment_shipped' && entry.detail?.startsWith(fulfillmentId),
    ),
  );
  return shipped.trackingNumber;
}

async function deliver(fulfillmentId: string, trackingNumber: string): Promise<void> {
  await suite.driver.track(fulfillmentId, trackingNumber, 'delivered');
}

describe('an order no single node can serve', () => {
  let handle: WorkflowHandle;
  let confirmed: OrderView;
  let final: OrderView;
  let coat: string;
  let scarf: string;
  const statuses: string[] = [];

  beforeAll(async () => {
    coat = await env.stockSku({ 'WH-PARIS': 2 });
    scarf = await env.stockSku({ 'WH-LYON': 3 });
    const order = env.orderRequest(coat, {
      lines: [
        { lineId: 'l1', sku: coat, quantity: 1, unitPriceMinor: 30000 },
        { lineId: 'l2', sku: scarf, quantity: 2, unitPriceMinor: 4550 },
      ],
    });
    handle = await env.startOrder(order);
    confirmed = await env.waitForStatus(handle, 'confirmed');
    const byNode = (nodeId: string) => confirmed.fulfillments.find((f) => f.nodeId === nodeId)!;
    const paris = byNode('WH-PARIS');
    const lyon = byNode('WH-LYON');
    const parisTracking = await ship(handle, paris.fulfillmentId);
    statuses.push((await handle.query<OrderView>('getOrder')).status);
    const lyonTracking = await ship(handle, lyon.fulfillmentId);
    statuses.push((await handle.query<OrderView>('getOrder')).status);
    await deliver(lyon.fulfillmentId, lyonTracking);
    statuses.push(
      (await waitForView(handle, (view) => view.fulfillments.some((f) => f.status === 'delivered'))).status,
    );
    await deliver(paris.fulfillmentId, parisTracking);
    final = (await handle.result()) as OrderView;
  }, 60_000);

  test('ships in two fulfilments, one per node, each with its own lines', () => {
    expect(confirmed.fulfillments).toHaveLength(2);
    expect(confirmed.fulfillments.map((f) => f.fulfillmentId).sort()).toEqual([
      `${confirmed.orderId}-F1`,
      `${confirmed.orderId}-F2`,
    ]);
    expect(Object.fromEntries(confirmed.fulfillments.map((f) => [f.nodeId, f.lines]))).toEqual({
      'WH-PARIS': [{ lineId: 'l1', quantity: 1 }],
      'WH-LYON': [{ lineId: 'l2', quantity: 2 }],
    });
  });

  test('reserves each part at its own node', async () => {
    expect(await env.stock.getRecord(coat, 'WH-PARIS')).toMatchObject({ onHand: 1, reserved: 0 });
    expect(await env.stock.getRecord(scarf, 'WH-LYON')).toMatchObject({ onHand: 1, reserved: 0 });
    expect(await env.collections.fulfillments.countDocuments({ orderId: confirmed.orderId })).toBe(2);
  });

  test('is partially shipped after the first parcel leaves and shipped after the second', () => {
    expect(statuses.slice(0, 2)).toEqual(['partially_shipped', 'shipped']);
  });

  test('stays shipped when only one parcel has arrived', () => {
    expect(statuses[2]).toBe('shipped');
  });

  test('completes once both are delivered, having captured exactly the order total as the parcels shipped', () => {
    expect(final.status).toBe('completed');
    expect(final.fulfillments.map((f) => f.status)).toEqual(['delivered', 'delivered']);
    expect(final.lines.map((line) => line.status)).toEqual(['delivered', 'delivered']);
    expect(final.payment).toEqual({
      status: 'captured',
      authorizedMinor: 39100,
      capturedMinor: 39100,
      refundedMinor: 0,
      voidedMinor: 0,
    });
  });

  test('captures the share of each fulfilment once, under its own key', async () => {
    const captures = await env.paymentOperations
      .find({ operation: 'capture', authorizationId: `auth:${final.orderId}` })
      .toArray();
    expect(captures.map((c) => [c._id, c.amountMinor]).sort()).toEqual(
      [
        [
          `capture:${final.orderId}:${final.fulfillments.find((f) => f.nodeId === 'WH-LYON')!.fulfillmentId}`,
          9100,
        ],
        [
          `capture:${final.orderId}:${final.fulfillments.find((f) => f.nodeId === 'WH-PARIS')!.fulfillmentId}`,
          30000,
        ],
      ].sort(),
    );
  });
});

test('an order one node can serve whole ships from that node alone, though a split would be nearer', async () => {
  // Lyon, next to the customer, has the shirt; Paris has shirt and shoes.
  const shirt = await env.stockSku({ 'WH-LYON': 5, 'WH-PARIS': 5 });
  const shoes = await env.stockSku({ 'WH-PARIS': 5, 'ST-MARSEILLE': 5 });
  const handle = await env.startOrder(
    env.orderRequest(shirt, {
      lines: [
        { lineId: 'l1', sku: shirt, quantity: 1, unitPriceMinor: 2000 },
        { lineId: 'l2', sku: shoes, quantity: 1, unitPriceMinor: 9000 },
      ],
    }),
  );
  const view = await env.waitForStatus(handle, 'confirmed');
  expect(view.fulfillments.map((f) => f.nodeId)).toEqual(['WH-PARIS']);
  expect(view.sourcing?.decision.strategy).toBe('single-node');
  expect(await env.stock.getRecord(shirt, 'WH-LYON')).toMatchObject({ reserved: 0 });
  await handle.terminate('test over');
});

test('a node that has used its daily order capacity is skipped for the next nearest', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5, 'WH-PARIS': 5 });
  const day = new Date().toISOString().slice(0, 10);
  // Earlier orders of this file count too: the capacity is whatever Lyon has taken today, plus one more order.
  const capacity = ((await usedCapacity(env.collections, ['WH-LYON'], day)).get('WH-LYON') ?? 0) + 1;
  await env.collections.nodes.updateOne({ _id: 'WH-LYON' }, { $set: { dailyOrderCapacity: capacity } });
  try {
    await claimNodeCapacity(env.collections, { nodeId: 'WH-LYON', orderId: 'earlier', day }, capacity);
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    const view = await env.waitForStatus(handle, 'confirmed');
    expect(view.fulfillments.map((f) => f.nodeId)).toEqual(['WH-PARIS']);
    expect(view.sourcing?.decision.excluded['capacity-exhausted']).toEqual(['WH-LYON']);
    const lyon = await env.collections.nodeCapacity.findOne({ _id: `WH-LYON:${day}` });
    expect(lyon?.used).toBe(capacity);
    expect(lyon?.orders[order.orderId]).toBeUndefined();
    await handle.terminate('test over');
  } finally {
    await env.collections.nodes.updateOne({ _id: 'WH-LYON' }, { $unset: { dailyOrderCapacity: '' } });
  }
});

test('the decision record is on the live view, in the read model and in the workflow memo', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5, 'WH-PARIS': 5 });
  const order = env.orderRequest(sku);
  const handle = await env.startOrder(order);
  const view = await env.waitForStatus(handle, 'confirmed');

  expect(view.sourcing).toMatchObject({
    attempt: 1,
    allocations: [{ nodeId: 'WH-LYON', lines: [{ lineId: 'l1', sku, quantity: 2 }] }],
    totals: { units: 2, allocatedUnits: 2, parcels: 1 },
  });
  expect(view.sourcing?.allocations[0]?.promisedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const verdicts = view.sourcing?.decision.candidates ?? [];
  expect(verdicts.map((v) => [v.nodeId, v.taken])).toEqual(
    expect.arrayContaining([
      ['WH-LYON', true],
      ['WH-PARIS', false],
    ]),
  );
  expect(view.timeline.find((entry) => entry.type === 'sourced')?.detail).toContain('WH-LYON');

  const stored = await env.collections.orders.findOne({ _id: order.orderId });
  expect(stored?.sourcing).toEqual(view.sourcing);

  const memo = (await handle.describe()).memo as { sourcing?: SourcingMemo; requestHash?: string };
  expect(memo.requestHash).toBe(`hash-${order.orderId}`);
  expect(memo.sourcing).toMatchObject({
    strategy: view.sourcing?.decision.strategy,
    attempt: 1,
    parcels: [{ nodeId: 'WH-LYON', units: 2, promisedDate: view.sourcing?.allocations[0]?.promisedDate }],
  });
  await handle.terminate('test over');
});

test('twenty racing orders for ten units over two nodes confirm exactly ten and cancel the rest as out of stock', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5, 'WH-PARIS': 5 });
  const handles = await Promise.all(
    Array.from({ length: 20 }, () =>
      env.startOrder(
        env.orderRequest(sku, { lines: [{ lineId: 'l1', sku, quantity: 1, unitPriceMinor: 1000 }] }),
      ),
    ),
  );
  const settled = await Promise.all(
    handles.map((handle) =>
      waitForView(handle, (view) => view.status === 'confirmed' || view.status === 'cancelled', 60_000),
    ),
  );
  const confirmed = settled.filter((view) => view.status === 'confirmed');
  const cancelled = settled.filter((view) => view.status === 'cancelled');
  expect(confirmed).toHaveLength(10);
  expect(cancelled.every((view) => view.timeline.at(-1)?.detail === 'out_of_stock')).toBe(true);

  const lyon = await env.stock.getRecord(sku, 'WH-LYON');
  const paris = await env.stock.getRecord(sku, 'WH-PARIS');
  expect((lyon?.reserved ?? 0) + (paris?.reserved ?? 0)).toBe(10);
  expect([lyon?.available, paris?.available]).toEqual([0, 0]);
  const reservedByOrders = confirmed.flatMap((view) => view.fulfillments.map((f) => f.nodeId));
  expect(reservedByOrders.filter((nodeId) => nodeId === 'WH-LYON')).toHaveLength(lyon?.reserved ?? -1);
  await Promise.all(
    confirmed.map((view) => env.client.workflow.getHandle(`order:${view.orderId}`).terminate('test over')),
  );
}, 90_000);
