import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { OrderView } from '../../src/domain/order-view';
import { getOrderQuery } from '../../workflows/order.messages';
import { OrderDriver, timelineOf, waitForView } from './support/order-driver';
import { OrderTestEnv } from './support/order-test-env';
import { recordHistoryIfAsked } from './support/record-history';

// The order workflow (lifecycle v2) against the real database, simulators and fulfilment children.
const env = new OrderTestEnv('order-workflow');
let driver: OrderDriver;

beforeAll(async () => {
  await env.setUp();
  driver = new OrderDriver(env.client);
}, 120_000);
afterAll(() => env.tearDown(), 60_000);

const captures = (orderId: string) =>
  env.paymentOperations.countDocuments({ operation: 'capture', authorizationId: `auth:${orderId}` });

describe('with one worker running', () => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await env.startWorker();
  });
  afterAll(() => env.stopWorker(worker));

  test('an order ships from the nearest node with stock, its share is captured when it ships, and it completes on delivery', async () => {
    const sku = await env.stockSku({ 'WH-PARIS': 10, 'WH-LYON': 10 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);

    const confirmed = await env.waitForStatus(handle, 'confirmed');
    expect(confirmed.fulfillments).toEqual([
      {
        fulfillmentId: `${order.orderId}-F1`,
        nodeId: 'WH-LYON',
        method: 'ship',
        lines: [{ lineId: 'l1', quantity: 2 }],
        status: 'created',
      },
    ]);
    expect(confirmed.payment).toEqual({
      status: 'authorized',
      authorizedMinor: 9000,
      capturedMinor: 0,
      refundedMinor: 0,
      voidedMinor: 0,
    });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({
      onHand: 10,
      reserved: 2,
      available: 8,
    });
    expect(await env.collections.fulfillments.findOne({ _id: `${order.orderId}-F1` })).toMatchObject({
      workflowId: `fulfillment:${order.orderId}-F1`,
      method: 'ship',
    });

    const shipped = await driver.ship(`${order.orderId}-F1`);
    expect(shipped.trackingNumber).toMatch(/^SIM\d{12}$/);
    const inTransit = await waitForView(handle, (view) => view.payment.capturedMinor === 9000);
    expect(inTransit.status).toBe('shipped');
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 8, reserved: 0, available: 8 });

    await driver.track(`${order.orderId}-F1`, shipped.trackingNumber, 'in_transit');
    await driver.track(`${order.orderId}-F1`, shipped.trackingNumber, 'delivered');
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(final.payment).toEqual({
      status: 'captured',
      authorizedMinor: 9000,
      capturedMinor: 9000,
      refundedMinor: 0,
      voidedMinor: 0,
    });
    expect(final.lines.map((line) => line.status)).toEqual(['delivered']);
    expect(timelineOf(final)).toEqual([
      'received',
      'sourced',
      'stock_reserved',
      'payment_authorized',
      'fulfillment_created',
      'confirmed',
      'payment_captured',
      'fulfillment_shipped',
      'shipped',
      'in_transit',
      'fulfillment_delivered',
      'delivered',
      'completed',
    ]);
    expect(final.timeline.every((entry) => entry.actor)).toBe(true);
    expect(await captures(order.orderId)).toBe(1);
    const notices = await env.collections.notifications.find({ orderId: order.orderId }).toArray();
    expect(notices.map((n) => n.event).sort()).toEqual(['delivered', 'order_confirmed', 'shipped']);
    await recordHistoryIfAsked(handle, 'order-v2-completed');
  });

  test('the read model holds the latest view with the fields lists filter on', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    const view = await env.waitForStatus(handle, 'confirmed');
    const stored = await waitFor(() =>
      env.collections.orders.findOne({ _id: order.orderId, status: 'confirmed', version: view.version }),
    );
    expect(stored).toMatchObject({
      customerId: 'cust-1',
      email: 'ada@example.com',
      requestHash: `hash-${order.orderId}`,
    });
    await handle.terminate('test over');
  });

  test('a declined payment ends in payment_failed with the stock and the capacity released', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku, { payment: { token: 'tok_decline' } });
    const handle = await env.startOrder(order);
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('payment_failed');
    expect(final.payment.status).toBe('declined');
    expect(final.fulfillments).toEqual([]);
    expect(final.lines.map((line) => line.status)).toEqual(['cancelled']);
    expect(timelineOf(final)).toEqual(expect.arrayContaining(['payment_declined', 'stock_released']));
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    const day = final.sourcing!.decidedAt.slice(0, 10);
    const lyon = await env.collections.nodeCapacity.findOne({ _id: `WH-LYON:${day}` });
    expect(lyon?.orders[order.orderId]).toBeUndefined();
    await recordHistoryIfAsked(handle, 'order-v2-payment-declined');
  });

  test('an order nobody can serve is cancelled as out of stock', async () => {
    const sku = await env.stockSku({});
    const handle = await env.startOrder(env.orderRequest(sku));
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('cancelled');
    expect(final.timeline.at(-1)).toMatchObject({ type: 'cancelled', detail: 'out_of_stock' });
    expect(final.payment.authorizedMinor).toBe(0);
  });

  test('units nobody has are cancelled and the rest of the order goes ahead', async () => {
    const sku = await env.stockSku({ 'WH-PARIS': 1, 'WH-LYON': 1 });
    const order = env.orderRequest(sku, {
      lines: [{ lineId: 'l1', sku, quantity: 3, unitPriceMinor: 4500 }],
    });
    const handle = await env.startOrder(order);
    const view = await env.waitForStatus(handle, 'confirmed');
    expect(view.lines[0]).toMatchObject({ quantity: 3, cancelledQuantity: 1, status: 'reserved' });
    expect(view.fulfillments.map((f) => f.nodeId).sort()).toEqual(['WH-LYON', 'WH-PARIS']);
    expect(view.timeline.find((entry) => entry.type === 'lines_cancelled')?.detail).toMatch(
      /^1 × .*: out of stock$/,
    );
    // Only what can be sent is authorised.
    expect(view.payment.authorizedMinor).toBe(9000);
    await handle.terminate('test over');
  });

  test('starting the same order twice is refused and leaves one run', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const first = await env.startOrder(order);
    await expect(env.startOrder(order)).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    const runs = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId = '${first.workflowId}'` }))
      runs.push(run);
    expect(runs.length).toBeLessThanOrEqual(1); // visibility may lag, but never shows two
    expect((await first.query(getOrderQuery)).orderId).toBe(order.orderId);
    await first.terminate('test over');
  });
});

test('an order survives a worker restart mid-order: no reservation left over, its payment captured once', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const order = env.orderRequest(sku);
  const workerA = await env.startWorker({}, { stickyQueueScheduleToStartTimeout: '1 second' });
  const handle = await env.startOrder(order);
  await env.waitForStatus(handle, 'confirmed');
  await driver.ship(`${order.orderId}-F1`);
  await env.stopWorker(workerA);

  const workerB = await env.startWorker();
  try {
    const shipped = await waitForView(handle, (view) => view.status === 'shipped');
    await driver.track(`${order.orderId}-F1`, shipped.fulfillments[0]!.trackingNumber!, 'delivered');
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(await captures(order.orderId)).toBe(1);
    expect(
      await env.paymentOperations.countDocuments({ operation: 'authorize', _id: `auth:${order.orderId}` }),
    ).toBeLessThanOrEqual(1);
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 3, reserved: 0 });
  } finally {
    await env.stopWorker(workerB);
  }
});

async function waitFor<T>(read: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met in time');
}
