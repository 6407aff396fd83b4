import type { WorkflowHandle } from '@temporalio/client';
import { closeFulfillmentUpdate } from '../../workflows/fulfillment.messages';
import type { Address } from '../../src/domain/order-request';
import type { OrderView } from '../../src/domain/order-view';
import { createInbound } from '../../src/inventory/inbound-repository';
import { receiveInbound } from '../../src/inventory/receive-inbound';
import { createTemporalStockNotifier } from '../../src/inventory/stock-waiters';
import {
  cancelOrderUpdate,
  modifyOrderUpdate,
  ORDER_REJECTIONS,
  resolveExceptionUpdate,
} from '../../workflows/order.messages';
import { timelineOf, waitForView } from './support/order-driver';
import { OrderTestEnv } from './support/order-test-env';
import { runWorkerAroundFile } from './support/order-suite';
import { recordHistoryIfAsked } from './support/record-history';

// Agents' changes, node rejections, carrier exceptions, pickups and backorders on the real stack:
// database, simulators, fulfilment children, and the payment simulator's ledger as the proof of money.
const env = new OrderTestEnv('order-changes');
const agent = 'agent:test';

const suite = runWorkerAroundFile(env);

const cancel = (handle: WorkflowHandle, reason: string, lineIds?: string[]) =>
  handle.executeUpdate(cancelOrderUpdate, {
    args: [{ reason, actor: agent, ...(lineIds ? { lineIds } : {}) }],
  });

const modify = (
  handle: WorkflowHandle,
  change: { address?: Address; lines?: { lineId: string; quantity: number }[] },
) => handle.executeUpdate(modifyOrderUpdate, { args: [{ ...change, actor: agent }] });

const NEW_ADDRESS = {
  line1: '5 place Bellecour',
  city: 'Lyon',
  postalCode: '69002',
  country: 'FR',
  lat: 45.7578,
  lon: 4.832,
};

async function fulfilmentAt(view: OrderView, nodeId: string): Promise<string> {
  const found = view.fulfillments.find((f) => f.nodeId === nodeId);
  if (!found) throw new Error(`no fulfilment at ${nodeId}`);
  return found.fulfillmentId;
}

describe('a split order with a partial cancellation', () => {
  test('the cancelled line stops its parcel, gives its stock and node capacity back and voids its share; the rest completes', async () => {
    const coat = await env.stockSku({ 'WH-PARIS': 2 });
    const scarf = await env.stockSku({ 'WH-LYON': 3 });
    const order = env.orderRequest(coat, {
      lines: [
        { lineId: 'l1', sku: coat, quantity: 1, unitPriceMinor: 30000 },
        { lineId: 'l2', sku: scarf, quantity: 2, unitPriceMinor: 4550 },
      ],
    });
    const handle = await env.startOrder(order);
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    const paris = await fulfilmentAt(confirmed, 'WH-PARIS');
    const lyon = await fulfilmentAt(confirmed, 'WH-LYON');
    const day = confirmed.sourcing!.decidedAt.slice(0, 10);

    const after = await cancel(handle, 'customer no longer wants the scarf', ['l2']);
    expect(after.lines.map((l) => [l.lineId, l.status])).toEqual([
      ['l1', 'reserved'],
      ['l2', 'cancelled'],
    ]);
    expect(after.fulfillments.find((f) => f.fulfillmentId === lyon)?.status).toBe('cancelled');
    expect(after.payment).toMatchObject({ authorizedMinor: 39100, voidedMinor: 9100, capturedMinor: 0 });
    expect(after.timeline.find((e) => e.type === 'lines_cancelled')).toMatchObject({ actor: agent });
    expect(await env.stock.getRecord(scarf, 'WH-LYON')).toMatchObject({ onHand: 3, reserved: 0 });
    const capacity = await env.collections.nodeCapacity.findOne({ _id: `WH-LYON:${day}` });
    expect(capacity?.orders[order.orderId]).toBeUndefined();

    await expect(cancel(handle, 'again', ['l2'])).rejects.toMatchObject({
      cause: { type: ORDER_REJECTIONS.notAllowed },
    });
    await expect(cancel(handle, 'what', ['l9'])).rejects.toMatchObject({
      cause: { type: ORDER_REJECTIONS.invalidRequest },
    });

    await suite.driver.shipAndDeliver(paris);
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(final.payment).toEqual({
      status: 'captured',
      authorizedMinor: 39100,
      capturedMinor: 30000,
      refundedMinor: 0,
      voidedMinor: 9100,
    });
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 39100, capture: 30000, void: 9100 });
    const notices = await env.collections.notifications.find({ orderId: order.orderId }).toArray();
    expect(notices.map((n) => n.event)).toContain('partially_cancelled');
    await recordHistoryIfAsked(handle, 'order-v2-split-partial-cancel');
  });

  test('a line that has shipped cannot be cancelled, nor can the whole order', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const handle = await env.startOrder(env.orderRequest(sku));
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    await suite.driver.ship(confirmed.fulfillments[0]!.fulfillmentId);
    await waitForView(handle, (v) => v.status === 'shipped');
    await expect(cancel(handle, 'too late', ['l1'])).rejects.toMatchObject({
      cause: { type: ORDER_REJECTIONS.notAllowed },
    });
    await expect(cancel(handle, 'too late')).rejects.toMatchObject({
      cause: { type: ORDER_REJECTIONS.notAllowed },
    });
    await handle.terminate('test over');
  });
});

describe('agent changes', () => {
  test('an address change before shipment goes to the parcel; after it left, it is refused', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    const changed = await modify(handle, { address: NEW_ADDRESS });
    expect(changed.delivery).toMatchObject({ address: NEW_ADDRESS });
    expect(changed.timeline.at(-1)).toMatchObject({ type: 'address_changed', actor: agent });
    // The parcel's child took the new address in (its Update was accepted) before it shipped.
    const history = await suite.driver.child(confirmed.fulfillments[0]!.fulfillmentId).fetchHistory();
    const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(
      accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.name),
    ).toEqual(['changeAddress']);
    await suite.driver.ship(confirmed.fulfillments[0]!.fulfillmentId);
    await waitForView(handle, (v) => v.status === 'shipped');
    await expect(modify(handle, { address: LYON })).rejects.toMatchObject({
      cause: { type: ORDER_REJECTIONS.notAllowed },
    });
    await handle.terminate('test over');
  });

  test('a lower quantity shrinks the parcel and its reservation and voids the difference', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku, {
      lines: [{ lineId: 'l1', sku, quantity: 3, unitPriceMinor: 1000 }],
    });
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const changed = await modify(handle, { lines: [{ lineId: 'l1', quantity: 1 }] });
    expect(changed.lines[0]).toMatchObject({ quantity: 1, status: 'reserved' });
    expect(changed.fulfillments[0]!.lines).toEqual([{ lineId: 'l1', quantity: 1 }]);
    expect(changed.payment).toMatchObject({ authorizedMinor: 3000, voidedMinor: 2000 });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 5, reserved: 1 });
    await suite.driver.shipAndDeliver(changed.fulfillments[0]!.fulfillmentId);
    const final = (await handle.result()) as OrderView;
    expect(final.payment).toMatchObject({ capturedMinor: 1000, voidedMinor: 2000 });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 4, reserved: 0 });
  });

  test('a higher quantity is reserved as a new parcel and authorised on top; without the stock it is refused and nothing changes', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 3 });
    const order = env.orderRequest(sku, {
      lines: [{ lineId: 'l1', sku, quantity: 1, unitPriceMinor: 1000 }],
    });
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const changed = await modify(handle, { lines: [{ lineId: 'l1', quantity: 3 }] });
    expect(changed.lines[0]).toMatchObject({ quantity: 3 });
    // The parcel still at the node is replaced by one parcel with every unit (not a second one from there).
    expect(changed.fulfillments.map((f) => [f.status, f.lines])).toEqual([
      ['cancelled', []],
      ['created', [{ lineId: 'l1', quantity: 3 }]],
    ]);
    expect(changed.payment).toMatchObject({ authorizedMinor: 3000 });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 3, available: 0 });

    await expect(modify(handle, { lines: [{ lineId: 'l1', quantity: 4 }] })).rejects.toMatchObject({
      cause: { type: ORDER_REJECTIONS.insufficientStock },
    });
    const unchanged = await waitForView(handle, () => true);
    expect(unchanged.lines[0]!.quantity).toBe(3);
    expect(unchanged.payment.authorizedMinor).toBe(3000);
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ reserved: 3 });

    for (const f of unchanged.fulfillments.filter((f) => f.status === 'created'))
      await suite.driver.shipAndDeliver(f.fulfillmentId);
    const final = (await handle.result()) as OrderView;
    expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 3000 });
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 3000, capture: 3000 });
  });
});

describe('what happens at the node and on the road', () => {
  test('a node that cannot find the stock has it written off and the units are sourced elsewhere as a new parcel', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 2, 'WH-PARIS': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    expect(confirmed.fulfillments.map((f) => f.nodeId)).toEqual(['WH-LYON']);
    await suite.driver.reject(`${order.orderId}-F1`, 'shelf empty');
    const resourced = await waitForView(handle, (v) => v.fulfillments.length === 2);
    expect(resourced.fulfillments.map((f) => [f.nodeId, f.status])).toEqual([
      ['WH-LYON', 'rejected'],
      ['WH-PARIS', 'created'],
    ]);
    expect(timelineOf(resourced)).toEqual(expect.arrayContaining(['fulfillment_rejected', 'sourced']));
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 0, reserved: 0 });
    expect(await env.stock.getRecord(sku, 'WH-PARIS')).toMatchObject({ onHand: 5, reserved: 2 });
    await suite.driver.shipAndDeliver(`${order.orderId}-F2`);
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 9000, capture: 9000 });
    await recordHistoryIfAsked(handle, 'order-v2-node-rejection');
  });

  test('a rejection no other node can cover cancels those units: written off, nothing reserved, all voided', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 2 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    await suite.driver.reject(`${order.orderId}-F1`, 'shelf empty');
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('cancelled');
    expect(final.lines[0]).toMatchObject({ status: 'cancelled', cancelledQuantity: 2 });
    expect(final.payment).toMatchObject({ status: 'voided', voidedMinor: 9000, capturedMinor: 0 });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 0, reserved: 0 });
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 9000, void: 9000 });
  });

  test('a parcel the carrier lost is sent again at no new charge when the agent says reship', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const shipped = await suite.driver.ship(`${order.orderId}-F1`);
    await suite.driver.track(`${order.orderId}-F1`, shipped.trackingNumber, 'exception');
    await waitForView(handle, (v) => v.fulfillments[0]?.status === 'exception');
    const resolved = await handle.executeUpdate(resolveExceptionUpdate, {
      args: [{ fulfillmentId: `${order.orderId}-F1`, action: 'reship', actor: agent }],
    });
    expect(resolved.fulfillments.map((f) => [f.fulfillmentId, f.status, f.resolution])).toEqual([
      [`${order.orderId}-F1`, 'exception', 'reship'],
      [`${order.orderId}-F2`, 'created', undefined],
    ]);
    await expect(
      handle.executeUpdate(resolveExceptionUpdate, {
        args: [{ fulfillmentId: `${order.orderId}-F1`, action: 'refund', actor: agent }],
      }),
    ).rejects.toMatchObject({ cause: { type: ORDER_REJECTIONS.notAllowed } });
    await suite.driver.shipAndDeliver(`${order.orderId}-F2`);
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 9000, capture: 9000 });
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 1, reserved: 0 });
    // The child of the lost parcel was closed for good.
    await expect(
      suite.driver
        .child(`${order.orderId}-F1`)
        .executeUpdate(closeFulfillmentUpdate, { args: [{ actor: agent, resolution: 'refund' }] }),
    ).rejects.toBeDefined();
  });

  test('a lost parcel refunded on the agent’s word gives its share back and the order ends', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const shipped = await suite.driver.ship(`${order.orderId}-F1`);
    await suite.driver.track(`${order.orderId}-F1`, shipped.trackingNumber, 'exception');
    await waitForView(handle, (v) => v.fulfillments[0]?.status === 'exception');
    await handle.executeUpdate(resolveExceptionUpdate, {
      args: [{ fulfillmentId: `${order.orderId}-F1`, action: 'refund', actor: agent }],
    });
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('cancelled');
    expect(final.payment).toMatchObject({ status: 'refunded', capturedMinor: 9000, refundedMinor: 9000 });
    expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 9000, capture: 9000, refund: 9000 });
    const notices = await env.collections.notifications.find({ orderId: order.orderId }).toArray();
    expect(notices.map((n) => n.event)).toEqual(expect.arrayContaining(['carrier_exception', 'refunded']));
  });

  test('click-and-collect: ready at the store, then collected, captured on pickup', async () => {
    const sku = await env.stockSku({ 'ST-MARSEILLE': 3 });
    const order = env.orderRequest(sku, { delivery: { method: 'pickup', pickupNodeId: 'ST-MARSEILLE' } });
    const handle = await env.startOrder(order);
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    expect(confirmed.fulfillments).toEqual([
      expect.objectContaining({ nodeId: 'ST-MARSEILLE', method: 'pickup' }),
    ]);
    await suite.driver.ready(`${order.orderId}-F1`);
    const ready = await env.waitForStatus(handle, 'ready_for_pickup');
    expect(ready.payment.capturedMinor).toBe(0);
    await suite.driver.pickedUp(`${order.orderId}-F1`);
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 9000 });
    expect(await env.stock.getRecord(sku, 'ST-MARSEILLE')).toMatchObject({ onHand: 1, reserved: 0 });
    const notices = await env.collections.notifications.find({ orderId: order.orderId }).toArray();
    expect(notices.map((n) => n.event)).toEqual(expect.arrayContaining(['ready_for_pickup', 'picked_up']));
    await recordHistoryIfAsked(handle, 'order-v2-pickup');
  });
});

test('a backordered line waits for inbound supply and is sent when the receipt wakes the order', async () => {
  const inStock = await env.stockSku({ 'WH-LYON': 5 });
  const awaited = await env.stockSku({ 'WH-LYON': 0 });
  const expectedAt = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
  const inbound = await createInbound(env.collections, {
    sku: awaited,
    nodeId: 'WH-LYON',
    quantity: 4,
    expectedAt,
    source: 'test',
  });
  const order = env.orderRequest(inStock, {
    lines: [
      { lineId: 'l1', sku: inStock, quantity: 1, unitPriceMinor: 1000 },
      { lineId: 'l2', sku: awaited, quantity: 2, unitPriceMinor: 2000 },
    ],
  });
  const handle = await env.startOrder(order);
  const confirmed = await env.waitForStatus(handle, 'confirmed');
  expect(confirmed.lines.map((l) => l.status)).toEqual(['reserved', 'backordered']);
  expect(confirmed.lines[1]!.promisedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(confirmed.payment.authorizedMinor).toBe(5000);
  expect(await env.collections.stockWaiters.countDocuments({ orderId: order.orderId })).toBe(1);

  await suite.driver.shipAndDeliver(`${order.orderId}-F1`);
  await waitForView(handle, (v) => v.status === 'partially_shipped');
  const received = await receiveInbound(
    env.collections,
    { inboundId: inbound.inboundId, source: 'test' },
    createTemporalStockNotifier(env.client),
  );
  expect(received.waiters.notified).toBe(1);
  const woken = await waitForView(handle, (v) => v.fulfillments.length === 2);
  expect(woken.lines[1]!.status).toBe('reserved');
  expect(woken.backorders).toEqual([]);
  expect(await env.collections.stockWaiters.countDocuments({ orderId: order.orderId })).toBe(0);
  await suite.driver.shipAndDeliver(`${order.orderId}-F2`);
  const final = (await handle.result()) as OrderView;
  expect(final.status).toBe('completed');
  expect(await env.moneyMoved(order.orderId)).toEqual({ authorize: 5000, capture: 5000 });
  await recordHistoryIfAsked(handle, 'order-v2-backorder');
});

const LYON = { line1: '1 rue de la République', city: 'Villeurbanne', postalCode: '69100', country: 'FR' };
