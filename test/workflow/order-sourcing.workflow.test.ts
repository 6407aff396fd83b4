import type { Worker } from '@temporalio/worker';
import type { OrderView } from '../../src/domain/order-view';
import { OrderTestEnv } from './support/order-test-env';

// The nearest node is offered first even though a racing order has already taken its stock.
const env = new OrderTestEnv('order-sourcing');
let worker: Worker;

beforeAll(async () => {
  await env.setUp();
  worker = await env.startWorker(
    {},
    {},
    { planSourcing: () => Promise.resolve({ candidates: ['WH-LYON', 'WH-PARIS'] }) },
  );
}, 120_000);
afterAll(async () => {
  await env.stopWorker(worker);
  await env.tearDown();
}, 60_000);

test('when the nearest node lost the stock to a racing order, the next candidate serves the order', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 1, 'WH-PARIS': 5 });
  const handle = await env.startOrder(env.orderRequest(sku));
  const view: OrderView = await env.waitForStatus(handle, 'confirmed');
  expect(view.fulfillments[0]?.nodeId).toBe('WH-PARIS');
  expect(view.timeline.map((entry) => entry.type)).toContain('sourcing_retry');
  expect(await env.stock.getRecord(sku, 'WH-PARIS')).toMatchObject({ reserved: 2 });
  await handle.terminate('test over');
});

test('a node that can reserve only some lines gives those back before the next candidate is tried', async () => {
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
  expect(view.fulfillments[0]?.nodeId).toBe('WH-PARIS');
  expect(await env.stock.getRecord(shirt, 'WH-LYON')).toMatchObject({ reserved: 0, available: 5 });
  expect(await env.stock.getRecord(shirt, 'WH-PARIS')).toMatchObject({ reserved: 1 });
  expect(await env.stock.getRecord(shoes, 'WH-PARIS')).toMatchObject({ reserved: 2 });
  await handle.terminate('test over');
});
