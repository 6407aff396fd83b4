import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { createFulfillmentActivities } from '../../activities/fulfillment.activities';
import type { ActivityDeps } from '../../activities';
import type { FulfillmentView } from '../../src/domain/order-view';
import {
  cancelLinesUpdate,
  closeFulfillmentUpdate,
  FULFILLMENT_REJECTIONS,
  fulfillmentCarrierEventSignal,
  getFulfillmentQuery,
  holdSignal,
  pickedUpUpdate,
  readyForPickupUpdate,
  rejectUpdate,
  shipUpdate,
  type ShipResult,
} from '../../workflows/fulfillment.messages';
import type { CarrierEventType } from '../../workflows/order.messages';
import { createFakeOrderActivities, scriptedOutage } from './support/fake-order-activities';
import { FulfillmentTestEnv } from './support/fulfillment-test-env';
import { receivedViewsQuery } from './support/fulfillment-test-workflows';
import { recordHistoryIfAsked } from './support/record-history';

// The fulfilment child on its own, under a test parent that records what the child reports, on the
// time-skipping server: the pickup window's seven days pass in about a second.
const DAY_MS = 24 * 60 * 60 * 1000;
const env = new FulfillmentTestEnv('fulfillment');
const clock = () => env.now();
const actor = { actor: 'node:test' };

beforeAll(() => env.setUp(), 120_000);
afterAll(() => env.tearDown(), 30_000);

const ship = (child: WorkflowHandle): Promise<ShipResult> =>
  child.executeUpdate(shipUpdate, { args: [actor] });

const carrierEvent = (child: WorkflowHandle, trackingNumber: string, event: CarrierEventType) =>
  child.signal(fulfillmentCarrierEventSignal, {
    trackingNumber,
    fulfillmentId: '',
    event,
    at: new Date().toISOString(),
  });

/** The ApplicationFailure type a refused Update carried. */
async function refusalOf(request: Promise<unknown>): Promise<string | undefined> {
  try {
    await request;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)
      return error.cause.type ?? undefined;
    throw error;
  }
  throw new Error('the request was not refused');
}

const statuses = (views: FulfillmentView[]) => views.map((view) => view.status);

test('concurrent ship requests book the carrier once and consume the stock once; later requests are refused', async () => {
  const fake = createFakeOrderActivities(clock, {
    bookShipment: ({ fulfillmentId }) => {
      // The label printer fails twice: the booking is retried, never repeated.
      if (activityInfo().attempt < 3) return Promise.reject(scriptedOutage('label creation timed out'));
      return Promise.resolve({
        trackingNumber: `TRK-${fulfillmentId}`,
        carrier: 'SIMPOST',
        labelUrl: 'label',
      });
    },
  });
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent, child } = await env.start(input);

    const answers = await Promise.allSettled([ship(child), ship(child), ship(child)]);
    const shipped = answers.filter((answer) => answer.status === 'fulfilled');
    expect(shipped).toHaveLength(1);
    expect((shipped[0] as PromiseFulfilledResult<ShipResult>).value).toEqual({
      fulfillmentId: input.fulfillmentId,
      trackingNumber: `TRK-${input.fulfillmentId}`,
      carrier: 'SIMPOST',
      labelUrl: 'label',
    });
    for (const answer of answers.filter((a) => a.status === 'rejected')) {
      expect(await refusalOf(Promise.reject((answer as PromiseRejectedResult).reason))).toBe(
        FULFILLMENT_REJECTIONS.alreadyShipped,
      );
    }
    expect(await refusalOf(ship(child))).toBe(FULFILLMENT_REJECTIONS.alreadyShipped);

    expect(fake.callsTo('bookShipment').map((call) => call.attempt)).toEqual([1, 2, 3]);
    expect(fake.callsTo('consumeOrderAtNode').map((call) => call.input)).toEqual([
      {
        orderId: input.orderId,
        nodeId: 'WH-LYON',
        lines: input.lines.map((line) => ({
          key: line.reservationKey,
          sku: line.sku,
          quantity: line.quantity,
        })),
      },
    ]);
    await carrierEvent(child, `TRK-${input.fulfillmentId}`, 'delivered');
    const { views, result } = await parent.result();
    expect(statuses(views)).toEqual(['shipped', 'delivered']);
    expect(result).toMatchObject({ status: 'delivered', trackingNumber: `TRK-${input.fulfillmentId}` });
    await recordHistoryIfAsked(child, 'fulfillment-shipped-delivered');
  });
});

test('a pickup parcel is made ready with a seven-day window, then collected: the stock is consumed once', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const { parent, child } = await env.start(env.input({ method: 'pickup', address: undefined }));
    expect(await refusalOf(ship(child))).toBe(FULFILLMENT_REJECTIONS.wrongMethod);
    expect(await refusalOf(child.executeUpdate(pickedUpUpdate, { args: [actor] }))).toBe(
      FULFILLMENT_REJECTIONS.wrongState,
    );

    const before = await env.now();
    const ready = await child.executeUpdate(readyForPickupUpdate, { args: [actor] });
    expect(ready.status).toBe('ready_for_pickup');
    const windowMs = Date.parse(ready.pickupBy!) - before;
    expect(windowMs).toBeGreaterThanOrEqual(7 * DAY_MS - 60_000);
    expect(windowMs).toBeLessThanOrEqual(7 * DAY_MS + 60_000);
    expect(await refusalOf(child.executeUpdate(readyForPickupUpdate, { args: [actor] }))).toBe(
      FULFILLMENT_REJECTIONS.wrongState,
    );

    const collected = await child.executeUpdate(pickedUpUpdate, { args: [actor] });
    expect(collected.status).toBe('picked_up');
    const { views, result } = await parent.result();
    expect(statuses(views)).toEqual(['ready_for_pickup', 'picked_up']);
    expect(result.status).toBe('picked_up');
    await recordHistoryIfAsked(child, 'fulfillment-picked-up');
    expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(1);
    expect(fake.callsTo('bookShipment')).toHaveLength(0);
  });
});

test('a pickup parcel not collected within the window ends not_collected after seven days, without consuming stock', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const { parent, child } = await env.start(env.input({ method: 'pickup', address: undefined }));
    const ready = await child.executeUpdate(readyForPickupUpdate, { args: [actor] });
    // The child's own clock when it was made ready (the answer reaches the test a moment later).
    const readyAt = Date.parse(ready.pickupBy!) - 7 * DAY_MS;
    expect(readyAt).toBeLessThanOrEqual(await env.now());

    const { views, result } = await parent.result();
    expect(result.status).toBe('not_collected');
    expect(statuses(views)).toEqual(['ready_for_pickup', 'not_collected']);
    await recordHistoryIfAsked(child, 'fulfillment-not-collected');
    expect((await env.now()) - readyAt).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(0);
  });
});

test('the pickup window follows the order: three days when it says three', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const { parent, child } = await env.start(
      env.input({ method: 'pickup', address: undefined, pickupWindowDays: 3 }),
    );
    const ready = await child.executeUpdate(readyForPickupUpdate, { args: [actor] });
    const answeredAt = await env.now();
    // Three days from the child's own clock when it was made ready (the answer reaches the test a moment later).
    const readyAt = Date.parse(ready.pickupBy!) - 3 * DAY_MS;
    expect(answeredAt - readyAt).toBeLessThan(DAY_MS);
    expect(answeredAt).toBeGreaterThanOrEqual(readyAt);
    expect((await parent.result()).result.status).toBe('not_collected');
    const waited = (await env.now()) - readyAt;
    expect(waited).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(waited).toBeLessThan(4 * DAY_MS);
  });
});

test('a node rejects a fulfilment it cannot serve: it ends rejected with the reason, nothing shipped', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const { parent, child } = await env.start(env.input());
    const rejected = await child.executeUpdate(rejectUpdate, {
      args: [{ actor: 'node:test', reason: 'not on the shelf' }],
    });
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'not on the shelf' });
    const { views, result } = await parent.result();
    expect(statuses(views)).toEqual(['rejected']);
    expect(result.reason).toBe('not on the shelf');
    expect(fake.callsTo('bookShipment')).toHaveLength(0);
    expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(0);
  });
});

test('a shipped fulfilment cannot be rejected', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent, child } = await env.start(input);
    await ship(child);
    expect(
      await refusalOf(child.executeUpdate(rejectUpdate, { args: [{ actor: 'node:test', reason: 'late' }] })),
    ).toBe(FULFILLMENT_REJECTIONS.alreadyShipped);
    await carrierEvent(child, `TRK-${input.fulfillmentId}`, 'delivered');
    expect((await parent.result()).result.status).toBe('delivered');
  });
});

test('lines cancelled before shipment shrink the fulfilment, and with none left it ends cancelled', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const { parent, child } = await env.start(env.input());
    const cancel = (lines?: { lineId: string; quantity: number }[]) =>
      child.executeUpdate(cancelLinesUpdate, {
        args: [{ actor: 'agent:test', reason: 'customer asked', ...(lines ? { lines } : {}) }],
      });

    expect(await refusalOf(cancel([{ lineId: 'nope', quantity: 1 }]))).toBe(
      FULFILLMENT_REJECTIONS.unknownLine,
    );
    expect(await refusalOf(cancel([{ lineId: 'l1', quantity: 3 }]))).toBe(
      FULFILLMENT_REJECTIONS.invalidQuantity,
    );
    const reduced = await cancel([
      { lineId: 'l1', quantity: 1 },
      { lineId: 'l2', quantity: 1 },
    ]);
    expect(reduced).toMatchObject({ status: 'created', lines: [{ lineId: 'l1', quantity: 1 }] });
    const cancelled = await cancel();
    expect(cancelled).toMatchObject({ status: 'cancelled', lines: [], reason: 'customer asked' });

    const { views, result } = await parent.result();
    expect(views.map(({ status, lines }) => [status, lines.length])).toEqual([
      ['created', 1],
      ['cancelled', 0],
    ]);
    expect(result.status).toBe('cancelled');
  });
});

test('a partial cancellation before shipment ships only the units left', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent, child } = await env.start(input);
    await child.executeUpdate(cancelLinesUpdate, {
      args: [{ actor: 'agent:test', reason: 'smaller', lines: [{ lineId: 'l2', quantity: 1 }] }],
    });
    await ship(child);
    expect(fake.callsTo('consumeOrderAtNode')[0]!.input).toMatchObject({
      lines: [{ key: input.lines[0]!.reservationKey, sku: 'SKU-1', quantity: 2 }],
    });
    await carrierEvent(child, `TRK-${input.fulfillmentId}`, 'delivered');
    expect((await parent.result()).result.lines).toEqual([{ lineId: 'l1', quantity: 2 }]);
  });
});

test("the parent's activities get the child's own answer: applied before shipment, AlreadyShipped after it, even once the child has ended", async () => {
  const fake = createFakeOrderActivities(clock);
  const parentActivities = createFulfillmentActivities({
    temporal: { client: env.client },
  } as unknown as ActivityDeps);
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent, child } = await env.start(input);
    const moved = await parentActivities.changeFulfillmentAddress({
      fulfillmentId: input.fulfillmentId,
      address: { line1: '2 quai Perrache', city: 'Lyon', postalCode: '69002', country: 'FR' },
      actor: 'agent:test',
    });
    expect(moved).toMatchObject({ outcome: 'applied', view: { status: 'created' } });
    await ship(child);
    expect(fake.callsTo('bookShipment')[0]!.input).toMatchObject({ to: { postalCode: '69002' } });

    const request = { actor: 'agent:test', reason: 'too late' };
    expect(
      await parentActivities.cancelFulfillmentLines({ fulfillmentId: input.fulfillmentId, request }),
    ).toEqual({
      outcome: 'refused',
      type: FULFILLMENT_REJECTIONS.alreadyShipped,
      reason: expect.stringContaining('shipped') as string,
    });
    await carrierEvent(child, `TRK-${input.fulfillmentId}`, 'delivered');
    await parent.result();
    expect(
      await parentActivities.cancelFulfillmentLines({ fulfillmentId: input.fulfillmentId, request }),
    ).toEqual({
      outcome: 'refused',
      type: FULFILLMENT_REJECTIONS.alreadyShipped,
      reason: expect.stringContaining('delivered') as string,
    });
  });
});

test('nothing is handed over while the order is on hold; after release the parcel ships', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input({ onHold: true });
    const { parent, child } = await env.start(input);
    expect(await refusalOf(ship(child))).toBe(FULFILLMENT_REJECTIONS.onHold);
    await child.signal(holdSignal, { onHold: false });
    await ship(child);
    await child.signal(holdSignal, { onHold: true });
    await carrierEvent(child, `TRK-${input.fulfillmentId}`, 'delivered');
    expect((await parent.result()).result.status).toBe('delivered');
    expect(fake.callsTo('bookShipment')).toHaveLength(1);
  });
});

test('a hold placed while waiting at the store blocks readiness and collection until released', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const { parent, child } = await env.start(env.input({ method: 'pickup', address: undefined }));
    await child.signal(holdSignal, { onHold: true });
    expect(await refusalOf(child.executeUpdate(readyForPickupUpdate, { args: [actor] }))).toBe(
      FULFILLMENT_REJECTIONS.onHold,
    );
    await child.signal(holdSignal, { onHold: false });
    await child.executeUpdate(readyForPickupUpdate, { args: [actor] });
    await child.signal(holdSignal, { onHold: true });
    expect(await refusalOf(child.executeUpdate(pickedUpUpdate, { args: [actor] }))).toBe(
      FULFILLMENT_REJECTIONS.onHold,
    );
    await child.signal(holdSignal, { onHold: false });
    await child.executeUpdate(pickedUpUpdate, { args: [actor] });
    expect((await parent.result()).result.status).toBe('picked_up');
  });
});

test('carrier events only move a parcel forward: repeats, late and foreign events change nothing', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent, child } = await env.start(input);
    const tracking = `TRK-${input.fulfillmentId}`;
    await carrierEvent(child, tracking, 'in_transit'); // before the parcel left: ignored
    await ship(child);
    await carrierEvent(child, 'TRK-SOMEONE-ELSE', 'delivered');
    await carrierEvent(child, tracking, 'in_transit');
    await carrierEvent(child, tracking, 'in_transit');
    expect((await env.waitForStatus(child, 'in_transit')).status).toBe('in_transit');
    await carrierEvent(child, tracking, 'delivered');
    const { views, result } = await parent.result();
    expect(statuses(views)).toEqual(['shipped', 'in_transit', 'delivered']);
    expect(result.status).toBe('delivered');
  });
});

test('delivered before in transit delivers at once', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent, child } = await env.start(input);
    await ship(child);
    await carrierEvent(child, `TRK-${input.fulfillmentId}`, 'delivered');
    const { views } = await parent.result();
    expect(statuses(views)).toEqual(['shipped', 'delivered']);
  });
});

test('after a carrier exception the child waits for the parent to close it; late transit events change nothing', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent, child } = await env.start(input);
    const tracking = `TRK-${input.fulfillmentId}`;
    expect(
      await refusalOf(
        child.executeUpdate(closeFulfillmentUpdate, {
          args: [{ actor: 'agent:test', resolution: 'refund' }],
        }),
      ),
    ).toBe(FULFILLMENT_REJECTIONS.wrongState);
    await ship(child);
    await carrierEvent(child, tracking, 'exception');
    await carrierEvent(child, tracking, 'in_transit');
    const lost = await env.waitForStatus(child, 'exception');
    expect(lost.reason).toMatch(/exception/);
    expect(
      await refusalOf(
        child.executeUpdate(cancelLinesUpdate, { args: [{ actor: 'agent:test', reason: 'lost' }] }),
      ),
    ).toBe(FULFILLMENT_REJECTIONS.alreadyShipped);

    const closed = await child.executeUpdate(closeFulfillmentUpdate, {
      args: [{ actor: 'agent:test', resolution: 'reship' }],
    });
    expect(closed.reason).toMatch(/reship/);
    const { views, result } = await parent.result();
    expect(statuses(views)).toEqual(['shipped', 'exception', 'exception']);
    expect(result.status).toBe('exception');
    await recordHistoryIfAsked(child, 'fulfillment-exception-closed');
  });
});

test('a parcel found after an exception is delivered', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent, child } = await env.start(input);
    await ship(child);
    await carrierEvent(child, `TRK-${input.fulfillmentId}`, 'exception');
    await env.waitForStatus(child, 'exception');
    await carrierEvent(child, `TRK-${input.fulfillmentId}`, 'delivered');
    const { result } = await parent.result();
    expect(result.status).toBe('delivered');
    expect(result.reason).toBeUndefined();
  });
});

test('the live view answers the getFulfillment query', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { child } = await env.start(input);
    expect(await child.query(getFulfillmentQuery)).toEqual({
      fulfillmentId: input.fulfillmentId,
      nodeId: 'WH-LYON',
      lines: [
        { lineId: 'l1', quantity: 2 },
        { lineId: 'l2', quantity: 1 },
      ],
      status: 'created',
      method: 'ship',
    });
    await child.executeUpdate(rejectUpdate, { args: [{ actor: 'node:test', reason: 'done' }] });
  });
});

test("from a workflow, the cancellation activity reaches the child with the worker's own client, and reads an ended child's status", async () => {
  const fake = createFakeOrderActivities(clock, {
    cancelFulfillmentLines: createFulfillmentActivities({} as ActivityDeps).cancelFulfillmentLines,
  });
  await env.withWorker(fake.activities, async () => {
    const input = env.input();
    const { parent } = await env.start(input);
    const outcome = await env.client.workflow.execute('cancelThroughActivity', {
      workflowId: `cancel:${input.fulfillmentId}`,
      taskQueue: env.ts.taskQueue,
      args: [input.fulfillmentId, { actor: 'agent:test', reason: 'customer asked' }],
    });
    expect(outcome).toMatchObject({ outcome: 'applied', view: { status: 'cancelled' } });
    expect((await parent.result()).result.status).toBe('cancelled');
    const again = await env.client.workflow.execute('cancelThroughActivity', {
      workflowId: `cancel-again:${input.fulfillmentId}`,
      taskQueue: env.ts.taskQueue,
      args: [input.fulfillmentId, { actor: 'agent:test', reason: 'twice' }],
    });
    expect(again).toMatchObject({ outcome: 'refused', type: FULFILLMENT_REJECTIONS.wrongState });
  });
});

test('an Update answers only once the parent has the change, so the order read right after it knows it', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const { parent, child } = await env.start(env.input({ method: 'pickup', address: undefined }));
    await child.executeUpdate(readyForPickupUpdate, { args: [actor] });
    expect(statuses(await parent.query(receivedViewsQuery))).toEqual(['ready_for_pickup']);
    await child.executeUpdate(pickedUpUpdate, { args: [actor] });
    expect(statuses(await parent.query(receivedViewsQuery))).toEqual(['ready_for_pickup', 'picked_up']);
    await parent.result();
  });
});
