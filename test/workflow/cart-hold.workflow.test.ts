import type { WorkflowHandle } from '@temporalio/client';
import { cartHoldWorkflowId, type CartHoldView } from '../../src/domain/cart-hold';
import { reconcileInventory } from '../../src/inventory/reconcile';
import { capacityDay, claimNodeCapacity, usedCapacity } from '../../src/network/node-capacity';
import {
  getCartHoldQuery,
  releaseCartHoldSignal,
  type CartHoldInput,
} from '../../workflows/cart-hold.messages';
import { OrderTestEnv } from './support/order-test-env';
import { runWorkerAroundFile } from './support/order-suite';

const env = new OrderTestEnv('cart-hold');
let holdCounter = 0;
const MINUTE_MS = 60_000;

runWorkerAroundFile(env);

function startHold(sku: string, ttlMs: number, quantity = 2): Promise<WorkflowHandle> {
  const holdId = `h-${++holdCounter}-${Date.now()}`;
  const input: CartHoldInput = {
    holdId,
    channel: 'web',
    lines: [{ lineId: 'l1', sku, quantity }],
    nodeId: 'WH-LYON',
    ttlMs,
  };
  return env.client.workflow.start('cartHoldWorkflow', {
    workflowId: cartHoldWorkflowId(holdId),
    taskQueue: env.taskQueue,
    args: [input],
  });
}

async function waitForHold(handle: WorkflowHandle, status: CartHoldView['status']): Promise<CartHoldView> {
  for (let i = 0; i < 200; i++) {
    const view = await handle.query(getCartHoldQuery);
    if (view.status === status) return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`hold never became ${status}`);
}

const driftOf = async (sku: string) => (await reconcileInventory(env.collections, { skus: [sku] })).drift;
const holdIdOf = (handle: WorkflowHandle): string => handle.workflowId.replace('cart-hold:', '');

test('an active hold reserves its lines at the node', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const handle = await startHold(sku, MINUTE_MS);
  await waitForHold(handle, 'active');
  expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 2, available: 3 });
  await handle.signal(releaseCartHoldSignal);
  await handle.result();
});

test('a hold expires after its TTL and its stock is available again', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const handle = await startHold(sku, 1000);
  const view = (await handle.result()) as CartHoldView;
  expect(view.status).toBe('expired');
  expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 0, available: 5 });
  expect(await driftOf(sku)).toEqual([]);
});

test('a released hold gives its stock back at once', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const handle = await startHold(sku, MINUTE_MS);
  await waitForHold(handle, 'active');
  await handle.signal(releaseCartHoldSignal);
  expect(((await handle.result()) as CartHoldView).status).toBe('released');
  expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 0, available: 5 });
});

test('a hold for more than the node has reserves nothing', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 1 });
  const view = (await (await startHold(sku, MINUTE_MS)).result()) as CartHoldView;
  expect(view.status).toBe('insufficient');
  expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 0, available: 1 });
});

test('an order converting a hold takes its units over: reserved once, hold converted', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 2, 'WH-PARIS': 5 });
  const hold = await startHold(sku, MINUTE_MS);
  await waitForHold(hold, 'active');
  const order = await env.startOrder(env.orderRequest(sku, { cartHoldId: holdIdOf(hold) }));
  const view = await env.waitForStatus(order, 'confirmed');
  expect(view.fulfillments.map((f) => f.nodeId)).toEqual(['WH-LYON']);
  expect(((await hold.result()) as CartHoldView).status).toBe('converted');
  expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 2, available: 0 });
  expect(await env.stock.getRecord(sku, 'WH-PARIS')).toMatchObject({ reserved: 0 });
  expect(await driftOf(sku)).toEqual([]);
});

test('an order naming an expired hold is sourced normally', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const hold = await startHold(sku, 500);
  await hold.result();
  const order = await env.startOrder(env.orderRequest(sku, { cartHoldId: holdIdOf(hold) }));
  await env.waitForStatus(order, 'confirmed');
  expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 2, available: 3 });
  expect(await driftOf(sku)).toEqual([]);
});

test('a conversion racing the expiry: one of them wins, and the units are never counted twice', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const hold = await startHold(sku, 300);
  await waitForHold(hold, 'active').catch(() => undefined);
  const order = await env.startOrder(env.orderRequest(sku, { cartHoldId: holdIdOf(hold) }));
  await env.waitForStatus(order, 'confirmed');
  const held = (await hold.result()) as CartHoldView;
  expect(['converted', 'expired']).toContain(held.status);
  expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 2, available: 3 });
  expect(await driftOf(sku)).toEqual([]);
});

test('a converted order carries the engine plan for the hold node and claims its capacity', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 2, 'WH-PARIS': 5 });
  const hold = await startHold(sku, MINUTE_MS);
  await waitForHold(hold, 'active');
  const order = env.orderRequest(sku, { cartHoldId: holdIdOf(hold) });
  const view = await env.waitForStatus(await env.startOrder(order), 'confirmed');
  const sourcing = view.sourcing!;
  expect(sourcing.decision.summary).toContain(`cart hold ${holdIdOf(hold)} at WH-LYON`);
  expect(sourcing.decision.candidates.map((c) => [c.nodeId, c.taken])).toContainEqual(['WH-LYON', true]);
  expect(sourcing.totals.costMinor).toBeGreaterThan(0);
  expect(sourcing.allocations[0]?.distanceKm).toBeGreaterThan(0);
  expect(sourcing.allocations[0]!.promisedDate > sourcing.decidedAt.slice(0, 10)).toBe(true);
  const day = capacityDay(sourcing.decidedAt);
  const lyon = await env.collections.nodeCapacity.findOne({ _id: `WH-LYON:${day}` });
  expect(lyon?.orders[order.orderId]).toBe(1);
});

test('a hold whose node is at capacity is released and the order is sourced elsewhere', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 2, 'WH-PARIS': 5 });
  const hold = await startHold(sku, MINUTE_MS);
  await waitForHold(hold, 'active');
  const day = capacityDay(new Date().toISOString());
  const capacity = ((await usedCapacity(env.collections, ['WH-LYON'], day)).get('WH-LYON') ?? 0) + 1;
  await env.collections.nodes.updateOne({ _id: 'WH-LYON' }, { $set: { dailyOrderCapacity: capacity } });
  try {
    await claimNodeCapacity(env.collections, { nodeId: 'WH-LYON', orderId: `full-${sku}`, day }, capacity);
    const order = env.orderRequest(sku, { cartHoldId: holdIdOf(hold) });
    const view = await env.waitForStatus(await env.startOrder(order), 'confirmed');
    expect(view.fulfillments.map((f) => f.nodeId)).toEqual(['WH-PARIS']);
    expect(((await hold.result()) as CartHoldView).status).toBe('released');
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 0, available: 2 });
    expect(await env.stock.getRecord(sku, 'WH-PARIS')).toMatchObject({ reserved: 2 });
    expect(await driftOf(sku)).toEqual([]);
  } finally {
    await env.collections.nodes.updateOne({ _id: 'WH-LYON' }, { $unset: { dailyOrderCapacity: '' } });
  }
});
