import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { OrderActivities } from '../../activities';
import type { OrderRequest } from '../../src/domain/order-request';
import type { OrderView } from '../../src/domain/order-view';
import { FULFILLMENT_REJECTIONS, fulfillmentWorkflowId } from '../../workflows/fulfillment.messages';
import { cancelOrderUpdate, getOrderQuery } from '../../workflows/order.messages';
import { createFakeOrderActivities, type FakeOrderActivities } from './support/fake-order-activities';
import { OrderDriver, timelineOf, waitForView } from './support/order-driver';
import { recordHistoryIfAsked } from './support/record-history';
import { TimeSkippingOrderEnv } from './support/time-skipping-env';

// Click-and-collect from another node on the time-skipping server: the in-memory planner serves every order
// from WH-LYON, so a pickup at ST-MARSEILLE travels there first (a transfer), with real fulfilment children.
const DAY_MS = 24 * 60 * 60 * 1000;
const STORE = 'ST-MARSEILLE';
const SOURCE = 'WH-LYON';

const ts = new TimeSkippingOrderEnv('fulfillment-transfer');
const clock = () => ts.env.currentTimeMs();

beforeAll(() => ts.setUp(), 60_000);
afterAll(() => ts.tearDown(), 30_000);

interface Run {
  fake: FakeOrderActivities;
  handle: WorkflowHandle;
  fulfillmentId: string;
  driver: OrderDriver;
}

/** A pickup order at the store (served from Lyon), run with in-memory activities; the worker stops after. */
async function withTransferOrder<T>(
  body: (run: Run) => Promise<T>,
  overrides: Partial<OrderActivities> = {},
): Promise<T> {
  const fake = createFakeOrderActivities(clock, overrides);
  const order: OrderRequest = { ...ts.orderRequest(), delivery: { method: 'pickup', pickupNodeId: STORE } };
  return ts.withWorker(fake.activities, async () => {
    const handle = await ts.startOrder(order, { lifecycle: { pickupWindowDays: 2 } });
    await ts.waitForStatus(handle, 'confirmed');
    return body({
      fake,
      handle,
      fulfillmentId: `${order.orderId}-F1`,
      driver: new OrderDriver(ts.env.client),
    });
  });
}

const result = (handle: WorkflowHandle) => handle.result() as Promise<OrderView>;

/** The ApplicationFailure type and message a refused Update carried. */
async function refusalOf(request: Promise<unknown>): Promise<{ type?: string; message: string }> {
  try {
    await request;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
      return { type: error.cause.type ?? undefined, message: error.cause.message };
    throw error;
  }
  throw new Error('the request was not refused');
}

/**
 * Ships the transfer leg and has the carrier report it in transit, then `last` (delivered: arrived at the
 * store; exception: lost on the way); answers its tracking number once the order shows it.
 */
async function shipTransferUntil(
  { driver, fulfillmentId, handle }: Run,
  last: 'delivered' | 'exception',
): Promise<string> {
  const shipped = await driver.ship(fulfillmentId);
  await driver.track(fulfillmentId, shipped.trackingNumber, 'in_transit');
  await driver.track(fulfillmentId, shipped.trackingNumber, last);
  const status = last === 'delivered' ? 'arrived' : 'exception';
  await waitForView(handle, (v) => v.fulfillments[0]?.transfer?.status === status);
  return shipped.trackingNumber;
}

/**
 * Ends a quiet order and its child (wait for the order to take in the last change first): left running on
 * the shared test server, pending work would keep the next test's time from skipping.
 */
async function finish(handle: WorkflowHandle, fulfillmentId: string): Promise<void> {
  await ts.env.client.workflow
    .getHandle(fulfillmentWorkflowId(fulfillmentId))
    .terminate('test over')
    .catch(() => undefined);
  await handle.terminate('test over').catch(() => undefined);
}

test('a pickup part from another node shows its pending transfer to the store', async () => {
  await withTransferOrder(async ({ handle, fulfillmentId }) => {
    const view = await handle.query(getOrderQuery);
    expect(view.fulfillments).toEqual([
      expect.objectContaining({
        fulfillmentId,
        nodeId: SOURCE,
        method: 'pickup',
        status: 'created',
        transfer: { toNodeId: STORE, status: 'pending' },
      }),
    ]);
    await finish(handle, fulfillmentId);
  });
});

test('the transfer is shipped to the store and arrives, then the part is made ready and collected; the customer pays at pickup', async () => {
  await withTransferOrder(async (run) => {
    const { fake, handle, fulfillmentId, driver } = run;
    const shipped = await driver.ship(fulfillmentId);
    const inTransit = await waitForView(handle, (v) => v.fulfillments[0]?.transfer?.status === 'in_transit');
    expect(inTransit.fulfillments[0]).toMatchObject({
      status: 'created',
      transfer: { toNodeId: STORE, status: 'in_transit', trackingNumber: shipped.trackingNumber },
    });
    expect(fake.callsTo('bookShipment').map((c) => c.input)).toEqual([
      expect.objectContaining({ fulfillmentId, nodeId: SOURCE, toNodeId: STORE }),
    ]);
    expect(fake.callsTo('consumeOrderAtNode').map((c) => (c.input as { nodeId: string }).nodeId)).toEqual([
      SOURCE,
    ]);
    expect(inTransit.payment.capturedMinor).toBe(0);
    expect(fake.callsTo('capturePayment')).toHaveLength(0);

    await driver.track(fulfillmentId, shipped.trackingNumber, 'in_transit');
    await driver.track(fulfillmentId, shipped.trackingNumber, 'delivered');
    await waitForView(handle, (v) => v.fulfillments[0]?.transfer?.status === 'arrived');
    await driver.ready(fulfillmentId);
    await ts.waitForStatus(handle, 'ready_for_pickup');
    await driver.pickedUp(fulfillmentId);
    const final = await result(handle);

    expect(final.status).toBe('completed');
    expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 9000 });
    expect(fake.callsTo('capturePayment')).toHaveLength(1);
    // Collected units were consumed once, at the source when the transfer left.
    expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(1);
    const entries = final.timeline.filter(
      (e) => e.type.startsWith('transfer_') || e.type.startsWith('fulfillment_'),
    );
    expect(entries.map((e) => [e.type, e.detail])).toEqual([
      ['fulfillment_created', `${fulfillmentId} at ${SOURCE} (pickup)`],
      ['transfer_shipped', `${fulfillmentId} from ${SOURCE} to ${STORE} ${shipped.trackingNumber}`],
      ['transfer_arrived', `${fulfillmentId} from ${SOURCE} to ${STORE} ${shipped.trackingNumber}`],
      ['fulfillment_ready_for_pickup', expect.stringContaining(`${fulfillmentId} at ${STORE} until`)],
      ['fulfillment_picked_up', `${fulfillmentId} at ${STORE}`],
    ]);
    await recordHistoryIfAsked(handle, 'order-v2-pickup-transfer');
    await recordHistoryIfAsked(driver.child(fulfillmentId), 'fulfillment-pickup-transfer');
  });
});

test('the store may make an in-transit part ready: the units are in its hands, so the transfer has arrived', async () => {
  await withTransferOrder(async (run) => {
    const { fake, handle, fulfillmentId, driver } = run;
    const shipped = await driver.ship(fulfillmentId);
    await driver.track(fulfillmentId, shipped.trackingNumber, 'in_transit');
    await waitForView(handle, (v) => v.fulfillments[0]?.transfer?.status === 'in_transit');

    const ready = await driver.ready(fulfillmentId);
    expect(ready).toMatchObject({ status: 'ready_for_pickup', transfer: { status: 'arrived' } });
    const view = await ts.waitForStatus(handle, 'ready_for_pickup');
    expect(timelineOf(view)).toEqual(expect.arrayContaining(['transfer_shipped', 'transfer_arrived']));
    // The carrier's delivered scan comes after the store's word: it changes nothing.
    await driver.track(fulfillmentId, shipped.trackingNumber, 'delivered');
    await driver.pickedUp(fulfillmentId);
    const final = await result(handle);
    expect(final.status).toBe('completed');
    expect(timelineOf(final).filter((type) => type === 'transfer_arrived')).toHaveLength(1);
    expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(1);
  });
});

test('a part made ready without a shipped leg keeps its units at the source until pickup, consumed once', async () => {
  await withTransferOrder(async ({ fake, handle, fulfillmentId, driver }) => {
    const ready = await driver.ready(fulfillmentId);
    expect(ready).toMatchObject({
      status: 'ready_for_pickup',
      transfer: { toNodeId: STORE, status: 'arrived' },
    });
    expect(ready.transfer?.trackingNumber).toBeUndefined();
    expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(0);

    await ts.waitForStatus(handle, 'ready_for_pickup');
    await driver.pickedUp(fulfillmentId);
    const final = await result(handle);
    expect(final).toMatchObject({ status: 'completed', payment: { capturedMinor: 9000 } });
    expect(fake.callsTo('consumeOrderAtNode').map((c) => (c.input as { nodeId: string }).nodeId)).toEqual([
      SOURCE,
    ]);
    expect(fake.callsTo('bookShipment')).toHaveLength(0);
  });
});

test('once the transfer has left, the source node can neither ship it again nor reject it', async () => {
  await withTransferOrder(async (run) => {
    const { handle, fulfillmentId, driver } = run;
    await driver.ship(fulfillmentId);
    await waitForView(handle, (v) => v.fulfillments[0]?.transfer?.status === 'in_transit');
    expect((await refusalOf(driver.ship(fulfillmentId))).type).toBe(FULFILLMENT_REJECTIONS.alreadyShipped);
    expect((await refusalOf(driver.reject(fulfillmentId, 'not found'))).type).toBe(
      FULFILLMENT_REJECTIONS.alreadyShipped,
    );
    await finish(handle, fulfillmentId);
  });
});

test('not collected within the window: the units go into the pickup store stock and the share is voided', async () => {
  await withTransferOrder(async (run) => {
    const { fake, handle, fulfillmentId, driver } = run;
    await shipTransferUntil(run, 'delivered');
    const ready = await driver.ready(fulfillmentId);
    const readyAt = Date.parse(ready.pickupBy!) - 2 * DAY_MS;
    const final = await result(handle);

    expect(final.status).toBe('cancelled');
    expect(final.fulfillments[0]).toMatchObject({ status: 'not_collected', transfer: { status: 'arrived' } });
    expect((await clock()) - readyAt).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect(fake.callsTo('restockUncollectedTransfer').map((c) => c.input)).toEqual([
      {
        orderId: final.orderId,
        fulfillmentId,
        nodeId: STORE,
        lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 2 }],
      },
    ]);
    expect(fake.callsTo('voidPayment').map((c) => (c.input as { amountMinor: number }).amountMinor)).toEqual([
      9000,
    ]);
    expect(fake.callsTo('capturePayment')).toHaveLength(0);
    expect(timelineOf(final)).toEqual(
      expect.arrayContaining(['transfer_shipped', 'transfer_arrived', 'fulfillment_not_collected']),
    );
  });
});

test('a transfer lost on the way can be cancelled by an agent: the share is voided and nothing was captured', async () => {
  await withTransferOrder(async (run) => {
    const { fake, handle, fulfillmentId } = run;
    await shipTransferUntil(run, 'exception');
    const lost = await handle.query(getOrderQuery);
    expect(lost.fulfillments[0]).toMatchObject({ status: 'created', transfer: { status: 'exception' } });
    expect(timelineOf(lost)).toContain('transfer_exception');

    const cancelled = await handle.executeUpdate(cancelOrderUpdate, {
      args: [{ reason: 'transfer lost', actor: 'agent:test' }],
    });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.fulfillments[0]).toMatchObject({ fulfillmentId, status: 'cancelled' });
    const voided = fake.callsTo('voidPayment').map((c) => (c.input as { amountMinor: number }).amountMinor);
    expect(voided).toEqual([9000]);
    expect(fake.callsTo('capturePayment')).toHaveLength(0);
    // The lost units left the source's stock when the leg shipped; nothing goes back on a shelf.
    expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(1);
    expect(fake.callsTo('restockUncollectedTransfer')).toHaveLength(0);
    await finish(handle, fulfillmentId);
  });
});

test('a transfer found after an exception arrives, and the pickup goes on as usual', async () => {
  await withTransferOrder(async (run) => {
    const { fake, handle, fulfillmentId, driver } = run;
    const trackingNumber = await shipTransferUntil(run, 'exception');
    await driver.track(fulfillmentId, trackingNumber, 'delivered');
    const found = await waitForView(handle, (v) => v.fulfillments[0]?.transfer?.status === 'arrived');
    expect(found.fulfillments[0]?.reason).toMatch(/^transfer delivered at .* after an exception$/);

    await driver.ready(fulfillmentId);
    await ts.waitForStatus(handle, 'ready_for_pickup');
    await driver.pickedUp(fulfillmentId);
    const final = await result(handle);
    expect(final).toMatchObject({ status: 'completed', payment: { capturedMinor: 9000 } });
    expect(timelineOf(final)).toEqual(
      expect.arrayContaining(['transfer_shipped', 'transfer_exception', 'transfer_arrived']),
    );
    expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(1);
  });
});
