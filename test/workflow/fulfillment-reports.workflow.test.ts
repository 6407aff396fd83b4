import type { OrderView } from '../../src/domain/order-view';
import { fulfillmentCarrierEventSignal } from '../../workflows/fulfillment.messages';
import { resolveExceptionUpdate, type CarrierEventType } from '../../workflows/order.messages';
import { waitForView } from './support/order-driver';
import { OrderTestEnv } from './support/order-test-env';
import { runWorkerAroundFile } from './support/order-suite';
import { recordHistoryIfAsked } from './support/record-history';

// What fulfilment children report to their order on the real stack: who made each change (node staff's
// and the carrier's API keys on the timeline), and where rejected units go (never back to the rejecting node).
const env = new OrderTestEnv('fulfillment-reports');
const NODE_STAFF = 'node:test'; // the OrderDriver's actor
const CARRIER = 'carrier:simpost';

const suite = runWorkerAroundFile(env);

/** The carrier reports an event through the signal the webhook sends, naming its API key. */
async function track(fulfillmentId: string, trackingNumber: string, event: CarrierEventType): Promise<void> {
  await suite.driver.child(fulfillmentId).signal(fulfillmentCarrierEventSignal, {
    trackingNumber,
    fulfillmentId,
    event,
    at: new Date().toISOString(),
    actor: CARRIER,
  });
}

/** Who the timeline names for each entry of a type. */
const actorsOf = (view: OrderView, type: string): (string | undefined)[] =>
  view.timeline.filter((entry) => entry.type === type).map((entry) => entry.actor);

describe('a node that rejects a fulfilment', () => {
  test('is not chosen again for the units, though stock is left there; the timeline says who rejected and what was excluded', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5, 'WH-PARIS': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    expect(confirmed.fulfillments.map((f) => f.nodeId)).toEqual(['WH-LYON']);

    await suite.driver.reject(`${order.orderId}-F1`, 'two units not on the shelf');
    const resourced = await waitForView(handle, (v) => v.fulfillments.length === 2);
    expect(resourced.fulfillments.map((f) => [f.nodeId, f.status])).toEqual([
      ['WH-LYON', 'rejected'],
      ['WH-PARIS', 'created'],
    ]);
    // Lyon still has 3 units after the write-off, and is nearer: without the exclusion it would be chosen again.
    expect(await env.stock.getRecord(sku, 'WH-LYON')).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await env.stock.getRecord(sku, 'WH-PARIS')).toMatchObject({ reserved: 2 });
    expect(actorsOf(resourced, 'fulfillment_rejected')).toEqual([NODE_STAFF]);
    const sourced = resourced.timeline.filter((entry) => entry.type === 'sourced').at(-1);
    expect(sourced?.detail).toContain(`${order.orderId}-F1 rejected by WH-LYON (excluding WH-LYON)`);
    expect(sourced?.detail).toContain('WH-PARIS 2');

    const shipped = await suite.driver.ship(`${order.orderId}-F2`);
    await track(`${order.orderId}-F2`, shipped.trackingNumber, 'in_transit');
    await track(`${order.orderId}-F2`, shipped.trackingNumber, 'delivered');
    const final = (await handle.result()) as OrderView;
    expect(final.status).toBe('completed');
    expect(actorsOf(final, 'fulfillment_shipped')).toEqual([NODE_STAFF]);
    expect(actorsOf(final, 'in_transit')).toEqual([CARRIER]);
    expect(actorsOf(final, 'fulfillment_delivered')).toEqual([CARRIER]);
    // The order's statuses name who moved it there, too.
    expect(actorsOf(final, 'shipped')).toEqual([NODE_STAFF]);
    expect(actorsOf(final, 'delivered')).toEqual([CARRIER]);
    // The actor is the timeline's business, not the fulfilment's view.
    expect(final.fulfillments.every((f) => !('actor' in f))).toBe(true);
    await recordHistoryIfAsked(handle, 'order-v2-rejection-excludes-node');
    await recordHistoryIfAsked(suite.driver.child(`${order.orderId}-F2`), 'fulfillment-reports-actor');
  });

  test('a second rejection sends the units to neither node that rejected them', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5, 'WH-PARIS': 5, 'ST-MARSEILLE': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    await suite.driver.reject(`${order.orderId}-F1`, 'not on the shelf');
    const second = await waitForView(handle, (v) => v.fulfillments.length === 2);
    expect(second.fulfillments[1]?.nodeId).not.toBe('WH-LYON');
    await suite.driver.reject(`${order.orderId}-F2`, 'not on the shelf either');
    const third = await waitForView(handle, (v) => v.fulfillments.length === 3);
    expect(third.fulfillments.map((f) => [f.nodeId, f.status])).toEqual([
      ['WH-LYON', 'rejected'],
      [second.fulfillments[1]!.nodeId, 'rejected'],
      [expect.not.stringMatching(/^(WH-LYON|WH-PARIS)$/), 'created'],
    ]);
    expect(third.timeline.filter((e) => e.type === 'sourced').at(-1)?.detail).toContain(
      '(excluding WH-LYON, WH-PARIS)',
    );
    await suite.driver.shipAndDeliver(`${order.orderId}-F3`);
    expect(((await handle.result()) as OrderView).status).toBe('completed');
    await recordHistoryIfAsked(handle, 'order-v2-second-rejection');
  });
});

describe('who the timeline names for what a fulfilment reports', () => {
  test('click-and-collect: the store staff who put the parcel out and handed it over', async () => {
    const sku = await env.stockSku({ 'ST-MARSEILLE': 3 });
    const order = env.orderRequest(sku, { delivery: { method: 'pickup', pickupNodeId: 'ST-MARSEILLE' } });
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    await suite.driver.ready(`${order.orderId}-F1`);
    await suite.driver.pickedUp(`${order.orderId}-F1`);
    const final = (await handle.result()) as OrderView;
    expect(actorsOf(final, 'fulfillment_ready_for_pickup')).toEqual([NODE_STAFF]);
    expect(actorsOf(final, 'fulfillment_picked_up')).toEqual([NODE_STAFF]);
    await recordHistoryIfAsked(handle, 'order-v2-pickup-actors');
  });

  test('click-and-collect served from another node names the pickup store, not where the units come from', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 3 });
    const order = env.orderRequest(sku, { delivery: { method: 'pickup', pickupNodeId: 'ST-MARSEILLE' } });
    const handle = await env.startOrder(order);
    const confirmed = await env.waitForStatus(handle, 'confirmed');
    expect(confirmed.fulfillments).toEqual([
      expect.objectContaining({ nodeId: 'WH-LYON', method: 'pickup' }),
    ]);
    // The units travel to the store first (the transfer leg), then the store puts them out.
    const leg = await suite.driver.ship(`${order.orderId}-F1`);
    await track(`${order.orderId}-F1`, leg.trackingNumber, 'delivered');
    await waitForView(handle, (v) => v.fulfillments[0]?.transfer?.status === 'arrived');
    await suite.driver.ready(`${order.orderId}-F1`);
    await suite.driver.pickedUp(`${order.orderId}-F1`);
    const final = (await handle.result()) as OrderView;
    const details = final.timeline
      .filter((e) => ['fulfillment_ready_for_pickup', 'fulfillment_picked_up'].includes(e.type))
      .map((e) => e.detail);
    expect(details).toEqual([
      expect.stringContaining(`${order.orderId}-F1 at ST-MARSEILLE until`),
      `${order.orderId}-F1 at ST-MARSEILLE`,
    ]);
    const notices = await env.collections.notifications.find({ orderId: order.orderId }).toArray();
    expect(
      notices
        .filter((n) => n.event === 'ready_for_pickup' || n.event === 'picked_up')
        .map((n) => n.data.storeName),
    ).toEqual(['ST-MARSEILLE', 'ST-MARSEILLE']);
    await recordHistoryIfAsked(handle, 'order-v2-pickup-transfer-store');
  });

  test('a carrier exception: the carrier that reported it, then the agent who resolved it', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    const shipped = await suite.driver.ship(`${order.orderId}-F1`);
    await track(`${order.orderId}-F1`, shipped.trackingNumber, 'exception');
    const lost = await waitForView(handle, (v) => v.fulfillments[0]?.status === 'exception');
    expect(actorsOf(lost, 'carrier_exception')).toEqual([CARRIER]);
    await handle.executeUpdate(resolveExceptionUpdate, {
      args: [{ fulfillmentId: `${order.orderId}-F1`, action: 'refund', actor: 'agent:test' }],
    });
    const final = (await handle.result()) as OrderView;
    expect(actorsOf(final, 'exception_resolved')).toEqual(['agent:test']);
  });

  test('a carrier event without a named sender is the carrier’s', async () => {
    const sku = await env.stockSku({ 'WH-LYON': 5 });
    const order = env.orderRequest(sku);
    const handle = await env.startOrder(order);
    await env.waitForStatus(handle, 'confirmed');
    await suite.driver.shipAndDeliver(`${order.orderId}-F1`);
    const final = (await handle.result()) as OrderView;
    expect(actorsOf(final, 'fulfillment_delivered')).toEqual(['carrier']);
  });
});
