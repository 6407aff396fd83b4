import type { WorkflowHandle } from '@temporalio/client';
import type { OrderView } from '../../src/domain/order-view';
import { createInbound } from '../../src/inventory/inbound-repository';
import { modifyOrderUpdate, ORDER_REJECTIONS, type ModifyOrderRequest } from '../../workflows/order.messages';
import { timelineOf, waitForView } from './support/order-driver';
import { OrderTestEnv } from './support/order-test-env';
import { runWorkerAroundFile } from './support/order-suite';
import { recordHistoryIfAsked } from './support/record-history';
import { PARIS_ADDRESS } from '../support/addresses';

// What agents add to an order after it was placed: new lines, a new delivery speed, and a new address
// that moves a parcel to a nearer node. Real database, simulators and fulfilment children; the payment
// simulator's ledger is the proof of money.
const env = new OrderTestEnv('order-changes-agents');
const agent = 'agent:test';

const suite = runWorkerAroundFile(env);

const modify = (handle: WorkflowHandle, change: Omit<ModifyOrderRequest, 'actor'>) =>
  handle.executeUpdate(modifyOrderUpdate, { args: [{ ...change, actor: agent }] });

const refusedAs = (type: string) => ({ cause: { type } });

async function shipEverything(handle: WorkflowHandle, view: OrderView): Promise<OrderView> {
  for (const f of view.fulfillments.filter((f) => f.status === 'created'))
    await suite.driver.shipAndDeliver(f.fulfillmentId);
  return (await handle.result()) as OrderView;
}

async function changeEvents(orderId: string): Promise<string[]> {
  const notices = await env.collections.notifications.find({ orderId }).toArray();
  return notices.map((n) => n.event).filter((event) => event === 'order_changed');
}

describe('adding a line', () => {
  test('the new line is reserved where the engine sends it, authorised on top and shipped as its own parcel', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 3 });
    const scarf = await env.stockSku({ 'WH-PARIS': 4 });
    const order = env.orderRequest(coat, {
      lines: [{ lineId: 'l1', sku: coat, quantity: 1, unitPriceMinor: 30000 }],
    });
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');

    const changed = await modify(handle, { addLines: [{ sku: scarf, quantity: 2, unitPriceMinor: 1500 }] });
    expect(changed.lines.map((l) => [l.lineId, l.sku, l.quantity, l.status])).toEqual([
      ['l1', coat, 1, 'reserved'],
      ['L2', scarf, 2, 'reserved'],
    ]);
    expect(changed.totalMinor).toBe(33000);
    expect(changed.fulfillments.map((f) => [f.nodeId, f.lines, f.status])).toEqual([
      ['WH-LYON', [{ lineId: 'l1', quantity: 1 }], 'created'],
      ['WH-PARIS', [{ lineId: 'L2', quantity: 2 }], 'created'],
    ]);
    expect(changed.payment).toMatchObject({ authorizedMinor: 33000, capturedMinor: 0 });
    expect(changed.timeline.find((e) => e.type === 'line_added')).toMatchObject({ actor: agent });
    expect(await env.stock.getRecord(scarf, 'WH-PARIS')).toMatchObject({ onHand: 4, reserved: 2 });
    expect(await changeEvents(order.orderId)).toEqual(['order_changed']);

    const final = await shipEverything(handle, changed);
    expect(final.status).toBe('completed');
    expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 33000 });
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 33000, capture: 33000 });
    expect(await env.stock.getRecord(scarf, 'WH-PARIS')).toMatchObject({ onHand: 2, reserved: 0 });
  });

  test('a line nobody has in stock is refused with InsufficientStock and nothing changes', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 3 });
    const missing = await env.stockSku({ 'WH-PARIS': 1 });
    const order = env.orderRequest(coat);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');

    await expect(
      modify(handle, { addLines: [{ lineId: 'extra', sku: missing, quantity: 2, unitPriceMinor: 1000 }] }),
    ).rejects.toMatchObject(refusedAs(ORDER_REJECTIONS.insufficientStock));
    const unchanged = await waitForView(handle, () => true);
    expect(unchanged.lines.map((l) => l.lineId)).toEqual(['l1']);
    expect(unchanged.fulfillments).toHaveLength(1);
    expect(unchanged.payment.authorizedMinor).toBe(9000);
    expect(await env.stock.getRecord(missing, 'WH-PARIS')).toMatchObject({ onHand: 1, reserved: 0 });
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 9000 });
    await handle.terminate('test over');
  });

  test('lines are added all or none: one nobody has refuses the others too and gives their stock back', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 3 });
    const scarf = await env.stockSku({ 'WH-PARIS': 4 });
    const missing = await env.stockSku({});
    const order = env.orderRequest(coat);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const refusal = modify(handle, {
      addLines: [
        { sku: scarf, quantity: 1, unitPriceMinor: 1500 },
        { sku: missing, quantity: 2, unitPriceMinor: 700 },
      ],
    });
    await expect(refusal).rejects.toMatchObject({
      cause: {
        type: ORDER_REJECTIONS.insufficientStock,
        message: `Not enough ${missing} in stock for 2 unit(s).`,
      },
    });
    const unchanged = await waitForView(handle, () => true);
    expect(unchanged.lines.map((l) => l.lineId)).toEqual(['l1']);
    expect(unchanged.fulfillments).toHaveLength(1);
    expect(await env.stock.getRecord(scarf, 'WH-PARIS')).toMatchObject({ onHand: 4, reserved: 0 });
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 9000 });

    const both = await modify(handle, {
      addLines: [
        { sku: scarf, quantity: 1, unitPriceMinor: 1500 },
        { lineId: 'L2', sku: coat, quantity: 1, unitPriceMinor: 4500 },
      ],
    });
    // The unnamed line does not take the id another line of the request names.
    expect(both.lines.map((l) => l.lineId)).toEqual(['l1', 'L3', 'L2']);
    expect(both.payment.authorizedMinor).toBe(9000 + 1500 + 4500);
    // The ledger's natural order is not the order of the operations: compare as a sorted list.
    const authorizations = await env.paymentOperations
      .find({ _id: { $regex: `^auth:${order.orderId}` } })
      .toArray();
    expect(authorizations.map((op) => op.amountMinor).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([
      6000, 9000,
    ]);
    await handle.terminate('test over');
  });

  test('a line id the order already has is a 422; a ship-complete order takes no new line (409)', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 5 });
    const handle = await env.startOrder(env.orderRequest(coat));
    await env.waitForStatus(handle, 'confirmed');
    await expect(
      modify(handle, { addLines: [{ lineId: 'l1', sku: coat, quantity: 1, unitPriceMinor: 1 }] }),
    ).rejects.toMatchObject(refusedAs(ORDER_REJECTIONS.invalidRequest));

    const whole = await env.startOrder(env.orderRequest(coat, { shipComplete: true }));
    await env.waitForStatus(whole, 'confirmed');
    await expect(
      modify(whole, { addLines: [{ sku: coat, quantity: 1, unitPriceMinor: 100 }] }),
    ).rejects.toMatchObject(refusedAs(ORDER_REJECTIONS.notAllowed));
    await handle.terminate('test over');
    await whole.terminate('test over');
  });
});

describe('raising a quantity', () => {
  test('more units join the parcel still at its node: one parcel with every unit, the reservation grown, authorised on top', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(coat, {
      lines: [{ lineId: 'l1', sku: coat, quantity: 1, unitPriceMinor: 1000 }],
    });
    const handle = await env.startOrder(order);
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    const day = confirmed.sourcing!.decidedAt.slice(0, 10);

    const changed = await modify(handle, { lines: [{ lineId: 'l1', quantity: 3 }] });
    expect(changed.fulfillments.map((f) => [f.fulfillmentId, f.status, f.lines])).toEqual([
      [`${order.orderId}-F1`, 'cancelled', []],
      [`${order.orderId}-F2`, 'created', [{ lineId: 'l1', quantity: 3 }]],
    ]);
    expect(changed.timeline.find((e) => e.type === 'parcel_replaced')).toMatchObject({ actor: agent });
    expect(changed.payment).toMatchObject({ authorizedMinor: 3000 });
    expect(await env.stock.getRecord(coat, 'WH-LYON')).toMatchObject({ onHand: 5, reserved: 3 });
    const lyonDay = await env.collections.nodeCapacity.findOne({ _id: `WH-LYON:${day}` });
    expect(lyonDay?.orders[order.orderId]).toBeDefined();

    const final = await shipEverything(handle, changed);
    expect(final.status).toBe('completed');
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 3000, capture: 3000 });
    expect(await env.stock.getRecord(coat, 'WH-LYON')).toMatchObject({ onHand: 2, reserved: 0 });
  });

  test('when its node lacks the extra units, they leave from another node and the waiting parcel is left alone', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 1, 'WH-PARIS': 5 });
    const order = env.orderRequest(coat, {
      lines: [{ lineId: 'l1', sku: coat, quantity: 1, unitPriceMinor: 1000 }],
    });
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const changed = await modify(handle, { lines: [{ lineId: 'l1', quantity: 3 }] });
    expect(changed.fulfillments.map((f) => [f.nodeId, f.status, f.lines])).toEqual([
      ['WH-LYON', 'created', [{ lineId: 'l1', quantity: 1 }]],
      ['WH-PARIS', 'created', [{ lineId: 'l1', quantity: 2 }]],
    ]);
    expect(timelineOf(changed)).not.toContain('parcel_replaced');
    await handle.terminate('test over');
  });

  test('a ship-complete order may grow its one parcel when its node has the units', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 5 });
    const handle = await env.startOrder(env.orderRequest(coat, { shipComplete: true }));
    await env.waitForStatus(handle, 'confirmed');
    const changed = await modify(handle, { lines: [{ lineId: 'l1', quantity: 4 }] });
    expect(changed.fulfillments.filter((f) => f.status === 'created').map((f) => f.lines)).toEqual([
      [{ lineId: 'l1', quantity: 4 }],
    ]);
    await handle.terminate('test over');
  });
});

describe('changing the delivery speed', () => {
  test('express is taken for what has not left: the delivery says so, the customer is told, the money stays', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(coat);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const changed = await modify(handle, { speed: 'express' });
    expect(changed.delivery).toMatchObject({ method: 'ship', speed: 'express' });
    expect(changed.timeline.at(-1)).toMatchObject({
      type: 'speed_changed',
      detail: 'delivery speed changed from standard to express',
      actor: agent,
    });
    expect(changed.fulfillments).toHaveLength(1);
    expect(changed.payment.authorizedMinor).toBe(9000);
    expect(await changeEvents(order.orderId)).toEqual(['order_changed']);
    // The same speed again changes nothing.
    const again = await modify(handle, { speed: 'express' });
    expect(again.version).toBe(changed.version);
    await handle.terminate('test over');
  });

  test('express is refused with the reason while units wait for inbound supply; a pickup order has no speed (422)', async () => {
    const inStock = await env.stockSku({ 'WH-LYON': 5 });
    const awaited = await env.stockSku({ 'WH-LYON': 0 });
    await createInbound(env.collections, {
      sku: awaited,
      nodeId: 'WH-LYON',
      quantity: 4,
      expectedAt: new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString(),
      source: 'test',
    });
    const handle = await env.startOrder(
      env.orderRequest(inStock, {
        lines: [
          { lineId: 'l1', sku: inStock, quantity: 1, unitPriceMinor: 1000 },
          { lineId: 'l2', sku: awaited, quantity: 2, unitPriceMinor: 2000 },
        ],
      }),
    );
    await waitForView(handle, (v) => (v.backorders ?? []).length > 0 && v.fulfillments.length === 1);
    const refusal = modify(handle, { speed: 'express' });
    await expect(refusal).rejects.toMatchObject(refusedAs(ORDER_REJECTIONS.notAllowed));
    await expect(refusal).rejects.toMatchObject({
      cause: {
        message: expect.stringMatching(new RegExp(`Express delivery is not possible.*2 × ${awaited}`)),
      },
    });

    const pickup = await env.startOrder(
      env.orderRequest(await env.stockSku({ 'ST-MARSEILLE': 2 }), {
        delivery: { method: 'pickup', pickupNodeId: 'ST-MARSEILLE' },
      }),
    );
    await waitForView(pickup, (v) => v.fulfillments.length === 1);
    await expect(modify(pickup, { speed: 'express' })).rejects.toMatchObject(
      refusedAs(ORDER_REJECTIONS.invalidRequest),
    );
    await handle.terminate('test over');
    await pickup.terminate('test over');
  });
});

describe('an address change that re-sources', () => {
  test('a parcel still at a node far from the new address moves to the node that promises sooner; stock, capacity and money follow', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 2, 'WH-PARIS': 2 });
    const order = env.orderRequest(coat);
    const handle = await env.startOrder(order);
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    expect(confirmed.fulfillments.map((f) => f.nodeId)).toEqual(['WH-LYON']);
    const day = confirmed.sourcing!.decidedAt.slice(0, 10);

    const changed = await modify(handle, { address: PARIS_ADDRESS });
    expect(changed.fulfillments.map((f) => [f.fulfillmentId, f.nodeId, f.status])).toEqual([
      [`${order.orderId}-F1`, 'WH-LYON', 'cancelled'],
      [`${order.orderId}-F2`, 'WH-PARIS', 'created'],
    ]);
    expect(timelineOf(changed).slice(-3)).toEqual(['address_changed', 'rerouted', 'fulfillment_created']);
    expect(changed.timeline.find((e) => e.type === 'rerouted')).toMatchObject({
      actor: agent,
      detail: expect.stringMatching(/-F1 at WH-LYON \(by .*\) replaced by .*-F2 at WH-PARIS \(by .*\)/),
    });
    expect(changed.lines[0]).toMatchObject({ status: 'reserved', quantity: 2 });
    expect(changed.payment).toMatchObject({ authorizedMinor: 9000, voidedMinor: 0 });
    expect(await env.stock.getRecord(coat, 'WH-LYON')).toMatchObject({ onHand: 2, reserved: 0 });
    expect(await env.stock.getRecord(coat, 'WH-PARIS')).toMatchObject({ onHand: 2, reserved: 2 });
    const lyonDay = await env.collections.nodeCapacity.findOne({ _id: `WH-LYON:${day}` });
    expect(lyonDay?.orders[order.orderId]).toBeUndefined();

    const final = await shipEverything(handle, changed);
    expect(final.status).toBe('completed');
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 9000, capture: 9000 });
    expect(await env.stock.getRecord(coat, 'WH-PARIS')).toMatchObject({ onHand: 0, reserved: 0 });
  });

  test('a parcel whose node still serves the new address as well stays where it is', async () => {
    const coat = await env.stockSku({ 'WH-LYON': 2, 'WH-PARIS': 2 });
    const handle = await env.startOrder(env.orderRequest(coat));
    await env.waitForStatus(handle, 'confirmed');
    const changed = await modify(handle, {
      address: { line1: '5 place Bellecour', city: 'Lyon', postalCode: '69002', country: 'FR' },
    });
    expect(changed.fulfillments.map((f) => [f.nodeId, f.status])).toEqual([['WH-LYON', 'created']]);
    expect(timelineOf(changed)).not.toContain('rerouted');
    await handle.terminate('test over');
  });
});

test('an order an agent moves to Paris, speeds up, adds to and raises completes with every unit of money moved once', async () => {
  const coat = await env.stockSku({ 'WH-LYON': 1, 'WH-PARIS': 1 });
  const scarf = await env.stockSku({ 'WH-PARIS': 3 });
  const order = env.orderRequest(coat, {
    lines: [{ lineId: 'l1', sku: coat, quantity: 1, unitPriceMinor: 20000 }],
  });
  const handle = await env.startOrder(order);
  await env.waitForStatus(handle, 'confirmed');
  await modify(handle, { address: PARIS_ADDRESS });
  await modify(handle, { speed: 'express' });
  const changed = await modify(handle, {
    addLines: [{ lineId: 'gift', sku: scarf, quantity: 1, unitPriceMinor: 2500 }],
  });
  expect(changed.fulfillments.map((f) => [f.nodeId, f.status])).toEqual([
    ['WH-LYON', 'cancelled'],
    ['WH-PARIS', 'created'],
    ['WH-PARIS', 'created'],
  ]);
  const grown = await modify(handle, { lines: [{ lineId: 'gift', quantity: 2 }] });
  expect(grown.fulfillments.map((f) => [f.nodeId, f.status, f.lines.length])).toEqual([
    ['WH-LYON', 'cancelled', 0],
    ['WH-PARIS', 'created', 1],
    ['WH-PARIS', 'cancelled', 0],
    ['WH-PARIS', 'created', 1],
  ]);
  const final = await shipEverything(handle, grown);
  expect(final.status).toBe('completed');
  expect(final.payment).toMatchObject({ authorizedMinor: 25000, capturedMinor: 25000, voidedMinor: 0 });
  expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 25000, capture: 25000 });
  expect(await changeEvents(order.orderId)).toHaveLength(4);
  await recordHistoryIfAsked(handle, 'order-v2-agent-changes');
});
