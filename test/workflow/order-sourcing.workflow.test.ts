import type { Worker } from '@temporalio/worker';
import type { PlanSourcingInput } from '../../activities/sourcing.activities';
import { createSourcingActivities } from '../../activities/sourcing.activities';
import type { OrderView } from '../../src/domain/order-view';
import { singleNodePlan } from './support/fake-order-activities';
import { OrderTestEnv } from './support/order-test-env';

// The first plan of every order is stale: it sends everything from Lyon, as a snapshot taken just before a
// racing order emptied Lyon would. Later plans are the engine's, on a fresh snapshot.
const env = new OrderTestEnv('order-sourcing');
let worker: Worker;
const planned = new Set<string>();

beforeAll(async () => {
  await env.setUp();
  const real = createSourcingActivities(env.activityDeps());
  const planSourcing = (input: PlanSourcingInput) => {
    const key = input.lines.map((line) => line.sku).join(',');
    if (planned.has(key)) return real.planSourcing(input);
    planned.add(key);
    return Promise.resolve(singleNodePlan(input, 'WH-LYON'));
  };
  worker = await env.startWorker({}, {}, { planSourcing });
}, 120_000);
afterAll(async () => {
  await env.stopWorker(worker);
  await env.tearDown();
}, 60_000);

test('when a racing order took the planned stock, the order is planned again on a fresh snapshot and served', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 1, 'WH-PARIS': 5 });
  const handle = await env.startOrder(env.orderRequest(sku));
  const view: OrderView = await env.waitForStatus(handle, 'confirmed');
  expect(view.fulfillments.map((f) => f.nodeId)).toEqual(['WH-PARIS']);
  expect(view.timeline.find((entry) => entry.type === 'sourcing_retry')).toMatchObject({
    detail: 'WH-LYON no longer has the stock',
  });
  expect(view.sourcing).toMatchObject({ attempt: 2 });
  expect(await env.stock.getRecord(sku, 'WH-PARIS')).toMatchObject({ reserved: 2 });
  expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 0, available: 1 });
  await handle.terminate('test over');
});

test('the capacity a lost attempt claimed is given back', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 1, 'WH-PARIS': 5 });
  const order = env.orderRequest(sku);
  const handle = await env.startOrder(order);
  const view = await env.waitForStatus(handle, 'confirmed');
  const day = view.sourcing!.decidedAt.slice(0, 10);
  const lyon = await env.collections.nodeCapacity.findOne({ _id: `WH-LYON:${day}` });
  const paris = await env.collections.nodeCapacity.findOne({ _id: `WH-PARIS:${day}` });
  expect(lyon?.orders[order.orderId]).toBeUndefined();
  expect(paris?.orders[order.orderId]).toBe(1);
  await handle.terminate('test over');
});

test('a node that can reserve only some lines gives those back before the next plan is tried', async () => {
  const shirt = await env.stockSku({ 'WH-LYON': 5, 'WH-PARIS': 5 });
  const shoes = await env.stockSku({ 'WH-LYON': 1, 'WH-PARIS': 5 });
  const order = env.orderRequest(shirt, {
    lines: [
      { lineId: 'l1', sku: shirt, quantity: 1, unitPriceMinor: 2000 },
      { lineId: 'l2', sku: shoes, quantity: 2, unitPriceMinor: 9000 },
    ],
  });
  const handle = await env.startOrder(order);
  const view = await env.waitForStatus(handle, 'confirmed');
  expect(view.fulfillments.map((f) => f.nodeId)).toEqual(['WH-PARIS']);
  expect(await env.stock.getRecord(shirt, 'WH-LYON')).toMatchObject({ reserved: 0, available: 5 });
  expect(await env.stock.getRecord(shirt, 'WH-PARIS')).toMatchObject({ reserved: 1 });
  expect(await env.stock.getRecord(shoes, 'WH-PARIS')).toMatchObject({ reserved: 2 });
  await handle.terminate('test over');
});

test('when a racing order took the last capacity of the planned node, the order is planned again elsewhere', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5, 'WH-PARIS': 5 });
  await env.collections.nodes.updateOne({ _id: 'WH-LYON' }, { $set: { dailyOrderCapacity: 0 } });
  try {
    const handle = await env.startOrder(env.orderRequest(sku));
    const view = await env.waitForStatus(handle, 'confirmed');
    expect(view.fulfillments.map((f) => f.nodeId)).toEqual(['WH-PARIS']);
    expect(view.timeline.find((entry) => entry.type === 'sourcing_retry')).toMatchObject({
      detail: 'WH-LYON reached its daily order capacity',
    });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 0 });
    await handle.terminate('test over');
  } finally {
    await env.collections.nodes.updateOne({ _id: 'WH-LYON' }, { $unset: { dailyOrderCapacity: '' } });
  }
});
