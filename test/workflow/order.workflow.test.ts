import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { OrderView } from '../../src/domain/order-view';
import { carrierEventSignal, getOrderQuery, shipFulfillmentUpdate } from '../../workflows/order.messages';
import { OrderTestEnv } from './support/order-test-env';
import { recordHistoryIfAsked } from './support/record-history';

const env = new OrderTestEnv('order-workflow');

beforeAll(() => env.setUp(), 120_000);
afterAll(() => env.tearDown(), 60_000);

describe('with one worker running', () => {
  let worker: Worker;
  beforeAll(async () => {
    worker = await env.startWorker();
  });
  afterAll(() => env.stopWorker(worker));

  test('an order ships from the nearest node with stock, is delivered and completes with the payment captured once', async () => {
    const sku = await env.stockSku({ 'WH-PARIS': 10, 'WH-LYON': 10 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);

    const confirmed = await env.waitForStatus(handle, 'confirmed');
    expect(confirmed.fulfillments).toEqual([
      {
        fulfillmentId: `${order.orderId}-F1`,
        nodeId: 'WH-LYON',
        lines: [{ lineId: 'l1', quantity: 2 }],
        status: 'created',
      },
    ]);
    expect(confirmed.payment).toEqual({
      status: 'authorized',
      authorizedMinor: 9000,
      capturedMinor: 0,
      refundedMinor: 0,
    });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({
      onHand: 10,
      reserved: 2,
      available: 8,
    });

    const shipped = await handle.executeUpdate(shipFulfillmentUpdate, {
      args: [{ fulfillmentId: `${order.orderId}-F1`, actor: 'node:test' }],
    });
    expect(shipped.trackingNumber).toMatch(/^SIM\d{12}$/);
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
    expect(await env.collections.shipments.findOne({ _id: shipped.trackingNumber })).toMatchObject({
      orderId: order.orderId,
      fulfillmentId: `${order.orderId}-F1`,
    });

    const event = {
      trackingNumber: shipped.trackingNumber,
      fulfillmentId: shipped.fulfillmentId,
      at: new Date().toISOString(),
    };
    await handle.signal(carrierEventSignal, { ...event, event: 'in_transit' });
    await handle.signal(carrierEventSignal, { ...event, event: 'delivered' });
    await handle.signal(carrierEventSignal, { ...event, event: 'delivered' });

    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(final.payment).toEqual({
      status: 'captured',
      authorizedMinor: 9000,
      capturedMinor: 9000,
      refundedMinor: 0,
    });
    expect(final.lines.map((line) => line.status)).toEqual(['delivered']);
    expect(final.timeline.map((entry) => entry.type)).toEqual([
      'received',
      'sourced',
      'stock_reserved',
      'payment_authorized',
      'confirmed',
      'fulfillment_created',
      'shipped',
      'in_transit',
      'fulfillment_delivered',
      'delivered',
      'payment_captured',
      'completed',
    ]);
    expect(
      await env.paymentOperations.countDocuments({
        operation: 'capture',
        authorizationId: `auth:${order.orderId}`,
      }),
    ).toBe(1);
    await recordHistoryIfAsked(handle, 'order-completed');
  });

  test('the read model holds the latest view with the fields lists filter on', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    const view = await env.waitForStatus(handle, 'confirmed');
    const stored = await waitFor(() =>
      env.collections.orders.findOne({ _id: order.orderId, status: 'confirmed' }),
    );
    expect(stored).toMatchObject({
      customerId: 'cust-1',
      email: 'ada@example.com',
      requestHash: `hash-${order.orderId}`,
      version: view.version,
    });
    await handle.terminate('test over');
  });

  test('a second ship request for the same fulfilment is refused by the order', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const ship = { fulfillmentId: `${order.orderId}-F1`, actor: 'node:test' };
    await handle.executeUpdate(shipFulfillmentUpdate, { args: [ship] });
    await expect(handle.executeUpdate(shipFulfillmentUpdate, { args: [ship] })).rejects.toMatchObject({
      cause: { type: 'AlreadyShipped' },
    });
    await expect(
      handle.executeUpdate(shipFulfillmentUpdate, { args: [{ fulfillmentId: 'nope', actor: 'node:test' }] }),
    ).rejects.toMatchObject({ cause: { type: 'UnknownFulfillment' } });
    await handle.terminate('test over');
  });

  test('a declined payment ends in payment_failed with the stock released', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const handle = await env.startOrder(env.orderRequest(sku, { payment: { token: 'tok_decline' } }));
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('payment_failed');
    expect(final.payment.status).toBe('declined');
    expect(final.timeline.map((entry) => entry.type)).toContain('stock_released');
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    await recordHistoryIfAsked(handle, 'order-payment-declined');
  });

  test('an order the network cannot serve in full is cancelled as out of stock, with the split it could offer on the timeline', async () => {
    const sku = await env.stockSku({ 'WH-PARIS': 1, 'WH-LYON': 1 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder({
      ...order,
      lines: [{ lineId: 'l1', sku, quantity: 3, unitPriceMinor: 4500 }],
    });
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('cancelled');
    expect(final.timeline.at(-1)).toMatchObject({ type: 'cancelled', detail: 'out_of_stock' });
    expect(final.timeline.find((entry) => entry.type === 'backorder_proposed')?.detail).toMatch(
      /^2 of 3 units now; unfillable /,
    );
    expect(final.sourcing?.totals).toMatchObject({ units: 3, allocatedUnits: 2, unfillableUnits: 1 });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 0, available: 1 });
    expect(await env.stock.getRecord(sku, 'WH-PARIS')).toMatchObject({ reserved: 0, available: 1 });
    await recordHistoryIfAsked(handle, 'order-out-of-stock');
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

test('an order survives a worker restart and its payment is captured once', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const order = env.orderRequest(sku);
  const workerA = await env.startWorker({}, { stickyQueueScheduleToStartTimeout: '1 second' });
  const handle = await env.startOrder(order);
  await env.waitForStatus(handle, 'confirmed');
  await env.stopWorker(workerA);

  const workerB = await env.startWorker();
  try {
    const shipped = await handle.executeUpdate(shipFulfillmentUpdate, {
      args: [{ fulfillmentId: `${order.orderId}-F1`, actor: 'node:test' }],
    });
    await handle.signal(carrierEventSignal, {
      trackingNumber: shipped.trackingNumber,
      fulfillmentId: shipped.fulfillmentId,
      event: 'delivered',
      at: new Date().toISOString(),
    });
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(
      await env.paymentOperations.countDocuments({
        operation: 'capture',
        authorizationId: `auth:${order.orderId}`,
      }),
    ).toBe(1);
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
