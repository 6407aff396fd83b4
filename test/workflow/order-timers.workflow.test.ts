import type { WorkflowHandle } from '@temporalio/client';
import { createFulfillmentActivities } from '../../activities/fulfillment.activities';
import { businessFailure } from '../../activities/failures';
import type { ActivityDeps, OrderActivities } from '../../activities';
import type { PlanSourcingInput } from '../../activities/sourcing.activities';
import { FAILURE_TYPES } from '../../src/domain/failure-types';
import type { OrderView } from '../../src/domain/order-view';
import { FULFILLMENT_REJECTIONS, fulfillmentWorkflowId } from '../../workflows/fulfillment.messages';
import {
  cancelOrderUpdate,
  getOrderQuery,
  paymentEventSignal,
  placeHoldUpdate,
  releaseHoldUpdate,
  type OrderWorkflowInput,
} from '../../workflows/order.messages';
import { stockArrivedSignal } from '../../workflows/stock.messages';
import {
  createFakeOrderActivities,
  scriptedOutage,
  singleNodePlan,
  type FakeOrderActivities,
} from './support/fake-order-activities';
import { OrderDriver, timelineOf, waitForView } from './support/order-driver';
import { backorderedPlan } from './support/order-plans';
import { recordHistoryIfAsked } from './support/record-history';
import { TimeSkippingOrderEnv } from './support/time-skipping-env';

// Every timer of the v2 order on the time-skipping server, with in-memory activities and real
// fulfilment children: authorisation expiry, payment look-ups, holds, backorders. Days pass in seconds.
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const ts = new TimeSkippingOrderEnv('order-timers');
const clock = () => ts.env.currentTimeMs();
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

beforeAll(() => ts.setUp(), 60_000);
afterAll(() => ts.tearDown(), 30_000);

/** The parent's Updates to its children go through the real activity code, with this server's client. */
function childUpdates(): Partial<OrderActivities> {
  const real = createFulfillmentActivities({
    temporal: { client: ts.env.client },
  } as unknown as ActivityDeps);
  return {
    cancelFulfillmentLines: real.cancelFulfillmentLines,
    changeFulfillmentAddress: real.changeFulfillmentAddress,
    closeFulfillment: real.closeFulfillment,
  };
}

/** An authorisation that lasts `days` from the server's now. */
const authorizeFor =
  (days: number): OrderActivities['authorizePayment'] =>
  async ({ idempotencyKey, amountMinor }) => ({
    status: 'authorized',
    authorizationId: `A-${idempotencyKey}`,
    amountMinor,
    expiresAt: iso((await clock()) + days * DAY_MS),
  });

interface Run {
  fake: FakeOrderActivities;
  handle: WorkflowHandle;
  orderId: string;
  driver: OrderDriver;
}

/** Runs one order with these activities, then `body`; the worker stops after. */
async function withOrder<T>(
  overrides: Partial<OrderActivities>,
  body: (run: Run) => Promise<T>,
  input: Partial<OrderWorkflowInput> = {},
  order = ts.orderRequest(),
): Promise<T> {
  const fake = createFakeOrderActivities(clock, { ...childUpdates(), ...overrides });
  return ts.withWorker(fake.activities, async () => {
    const handle = await ts.startOrder(order, input);
    return body({ fake, handle, orderId: order.orderId, driver: new OrderDriver(ts.env.client) });
  });
}

const notified = (fake: FakeOrderActivities) =>
  fake.callsTo('enqueueNotification').map((call) => (call.input as { event: string }).event);

const result = (handle: WorkflowHandle) => handle.result() as Promise<OrderView>;

/**
 * Ends a test's order and its children: left running on the shared test server, a child's pending work
 * would keep the next test's time from skipping.
 */
async function finish(handle: WorkflowHandle): Promise<void> {
  const view = await handle.query(getOrderQuery);
  for (const fulfillment of view.fulfillments) {
    await ts.env.client.workflow
      .getHandle(fulfillmentWorkflowId(fulfillment.fulfillmentId))
      .terminate('test over')
      .catch(() => undefined);
  }
  await handle.terminate('test over').catch(() => undefined);
}

describe('authorisation expiry', () => {
  test('a parcel shipped after the authorisation expired is captured from a new authorisation of what is owed', async () => {
    await withOrder({ authorizePayment: authorizeFor(7) }, async ({ fake, handle, orderId, driver }) => {
      await ts.waitForStatus(handle, 'confirmed');
      await ts.env.sleep(8 * DAY_MS);
      await driver.ship(`${orderId}-F1`);
      const view = await waitForView(handle, (v) => v.payment.capturedMinor === 9000);
      expect(fake.callsTo('authorizePayment').map((call) => call.input)).toEqual([
        expect.objectContaining({ idempotencyKey: `auth:${orderId}`, amountMinor: 9000 }),
        expect.objectContaining({ idempotencyKey: `auth:${orderId}:2`, amountMinor: 9000 }),
      ]);
      expect(fake.callsTo('capturePayment').map((call) => call.input)).toEqual([
        {
          idempotencyKey: `capture:${orderId}:${orderId}-F1`,
          authorizationId: `A-auth:${orderId}:2`,
          amountMinor: 9000,
        },
      ]);
      expect(view.payment).toMatchObject({ status: 'captured', authorizedMinor: 9000, capturedMinor: 9000 });
      expect(timelineOf(view)).toContain('payment_authorization_expired');
      await finish(handle);
    });
  });

  test('when the provider says the authorisation expired before our clock does, the order authorises again and captures once', async () => {
    let refused = false;
    await withOrder(
      {
        authorizePayment: authorizeFor(7),
        capturePayment: ({ idempotencyKey, authorizationId, amountMinor }) => {
          if (authorizationId.endsWith(':2') || refused)
            return Promise.resolve({ captureId: idempotencyKey, amountMinor });
          refused = true;
          return Promise.reject(
            businessFailure(FAILURE_TYPES.authorizationExpired, 'capture rejected: authorization_expired'),
          );
        },
      },
      async ({ fake, handle, orderId, driver }) => {
        await ts.waitForStatus(handle, 'confirmed');
        await driver.ship(`${orderId}-F1`);
        const view = await waitForView(handle, (v) => v.payment.capturedMinor === 9000);
        const captures = fake
          .callsTo('capturePayment')
          .map((call) => call.input as { idempotencyKey: string; authorizationId: string });
        expect(captures.map((c) => c.authorizationId)).toEqual([`A-auth:${orderId}`, `A-auth:${orderId}:2`]);
        // The refused key is never sent again: the second capture has a key of its own.
        expect(new Set(captures.map((c) => c.idempotencyKey)).size).toBe(2);
        expect(view.payment.capturedMinor).toBe(9000);
        await finish(handle);
      },
    );
  });
});

describe('asynchronous payment', () => {
  const pendingThen = (answer: () => boolean): Partial<OrderActivities> => ({
    authorizePayment: ({ idempotencyKey }) =>
      Promise.resolve({ status: 'pending', authorizationId: `A-${idempotencyKey}` }),
    getAuthorization: async ({ authorizationId }) =>
      answer()
        ? {
            status: 'authorized',
            authorizationId,
            amountMinor: 9000,
            expiresAt: iso((await clock()) + 7 * DAY_MS),
          }
        : { status: 'pending', authorizationId },
  });

  test('a pending authorisation is confirmed as soon as the provider webhook arrives', async () => {
    let decided = false;
    await withOrder(
      pendingThen(() => decided),
      async ({ fake, handle, orderId }) => {
        const waiting = await waitForView(handle, (v) =>
          v.timeline.some((e) => e.type === 'payment_pending'),
        );
        expect(waiting).toMatchObject({
          status: 'received',
          payment: { status: 'pending' },
          fulfillments: [],
        });
        decided = true;
        await handle.signal(paymentEventSignal, {
          eventId: 'ev-1',
          type: 'authorized',
          reference: `auth:${orderId}`,
          at: iso(await clock()),
        });
        const confirmed = await ts.waitForStatus(handle, 'confirmed');
        expect(confirmed.payment).toMatchObject({ status: 'authorized', authorizedMinor: 9000 });
        expect(fake.callsTo('getAuthorization')).toHaveLength(1);
        await finish(handle);
      },
    );
  });

  test('when the webhook never comes, the order asks the provider again every fifteen minutes', async () => {
    let decided = false;
    await withOrder(
      pendingThen(() => decided),
      async ({ fake, handle }) => {
        await waitForView(handle, (v) => v.timeline.some((e) => e.type === 'payment_pending'));
        await ts.env.sleep(20 * 60 * 1000);
        expect(fake.callsTo('getAuthorization')).toHaveLength(1);
        decided = true;
        await ts.env.sleep(15 * 60 * 1000);
        await ts.waitForStatus(handle, 'confirmed');
        const [first, second] = fake.callsTo('getAuthorization');
        expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(15 * 60 * 1000);
        await finish(handle);
      },
    );
  });

  test('a pending authorisation the provider declines ends the order payment_failed with everything released', async () => {
    await withOrder(
      {
        authorizePayment: ({ idempotencyKey }) =>
          Promise.resolve({ status: 'pending', authorizationId: `A-${idempotencyKey}` }),
        getAuthorization: () => Promise.resolve({ status: 'declined', reason: 'insufficient funds' }),
      },
      async ({ fake, handle }) => {
        await ts.env.sleep(16 * 60 * 1000);
        const final = await result(handle);
        expect(final.status).toBe('payment_failed');
        expect(fake.callsTo('releaseOrderAtNode')).toHaveLength(1);
        expect(fake.callsTo('releaseNodeCapacity')).toHaveLength(1);
        expect(fake.callsTo('recordFulfillment')).toHaveLength(0);
      },
    );
  });
});

describe('holds', () => {
  test('a payment flagged for fraud review holds the order before anything is prepared; the release confirms it', async () => {
    await withOrder(
      {
        authorizePayment: async ({ idempotencyKey, amountMinor }) => ({
          status: 'review',
          authorizationId: `A-${idempotencyKey}`,
          amountMinor,
          expiresAt: iso((await clock()) + 7 * DAY_MS),
        }),
      },
      async ({ fake, handle }) => {
        const held = await ts.waitForStatus(handle, 'on_hold');
        expect(held.hold).toMatchObject({ kind: 'fraud_review' });
        expect(held.payment.status).toBe('review');
        expect(fake.callsTo('recordFulfillment')).toHaveLength(0);
        expect(notified(fake)).toContain('payment_review');
        const released = await handle.executeUpdate(releaseHoldUpdate, {
          args: [{ actor: 'agent:test', reason: 'customer verified' }],
        });
        expect(released.hold).toBeUndefined();
        const confirmed = await ts.waitForStatus(handle, 'confirmed');
        expect(confirmed.payment.status).toBe('authorized');
        expect(fake.callsTo('recordFulfillment')).toHaveLength(1);
        expect(timelineOf(confirmed)).toEqual(
          expect.arrayContaining(['on_hold', 'hold_released', 'confirmed']),
        );
        await finish(handle);
      },
    );
  });

  test('nothing ships while the order is on hold; the release lets the parcel go', async () => {
    await withOrder({}, async ({ handle, orderId, driver }) => {
      await ts.waitForStatus(handle, 'confirmed');
      const held = await handle.executeUpdate(placeHoldUpdate, {
        args: [{ reason: 'address check', actor: 'agent:test' }],
      });
      expect(held.status).toBe('on_hold');
      await expect(driver.ship(`${orderId}-F1`)).rejects.toMatchObject({
        cause: { type: FULFILLMENT_REJECTIONS.onHold },
      });
      await handle.executeUpdate(releaseHoldUpdate, { args: [{ actor: 'agent:test' }] });
      await driver.ship(`${orderId}-F1`);
      await waitForView(handle, (v) => v.status === 'shipped');
      await recordHistoryIfAsked(handle, 'order-v2-hold-release');
      await finish(handle);
    });
  });

  test('an order on hold too long is escalated after two days and cancelled with everything released after seven', async () => {
    await withOrder({}, async ({ fake, handle, orderId }) => {
      await ts.waitForStatus(handle, 'confirmed');
      const placedAt = await clock();
      await handle.executeUpdate(placeHoldUpdate, {
        args: [{ reason: 'suspicious address', actor: 'agent:test' }],
      });

      await ts.env.sleep(47 * HOUR_MS);
      expect((await handle.query(getOrderQuery)).hold?.escalatedAt).toBeUndefined();
      await ts.env.sleep(2 * HOUR_MS);
      const escalated = await waitForView(handle, (v) => v.hold?.escalatedAt !== undefined);
      expect(Date.parse(escalated.hold!.escalatedAt!) - placedAt).toBeGreaterThanOrEqual(48 * HOUR_MS);
      expect(notified(fake)).toContain('hold_escalated');
      expect(escalated.status).toBe('on_hold');

      const final = await result(handle);
      expect(final.status).toBe('cancelled');
      expect(Date.parse(final.updatedAt) - placedAt).toBeGreaterThanOrEqual(7 * DAY_MS);
      expect(final.fulfillments[0]!.status).toBe('cancelled');
      expect(fake.callsTo('cancelFulfillmentLines')).toHaveLength(1);
      expect(fake.callsTo('adjustReservedLine').map((c) => c.input)).toEqual([
        expect.objectContaining({
          line: expect.objectContaining({ key: `${orderId}:l1:WH-LYON`, quantity: 0 }),
        }),
      ]);
      expect(fake.callsTo('releaseNodeCapacity')).toHaveLength(1);
      expect(fake.callsTo('voidPayment').map((c) => c.input)).toEqual([
        { idempotencyKey: `void:${orderId}:1`, authorizationId: `auth:${orderId}`, amountMinor: 9000 },
      ]);
      expect(final.payment).toMatchObject({ status: 'voided', voidedMinor: 9000 });
      expect(notified(fake)).toContain('cancelled');
    });
  });

  test('the hold escalation and limit come from the workflow input', async () => {
    await withOrder(
      {},
      async ({ handle }) => {
        await ts.waitForStatus(handle, 'confirmed');
        await handle.executeUpdate(placeHoldUpdate, { args: [{ reason: 'check', actor: 'agent:test' }] });
        const final = await result(handle);
        expect(timelineOf(final)).toEqual(expect.arrayContaining(['hold_escalated', 'cancelled']));
        const at = (type: string) => Date.parse(final.timeline.find((e) => e.type === type)!.at);
        expect(at('cancelled') - at('hold_escalated')).toBeGreaterThanOrEqual(22 * HOUR_MS);
        expect(at('cancelled') - at('on_hold')).toBeLessThan(25 * HOUR_MS);
      },
      { lifecycle: { holdEscalateAfterHours: 1, holdLimitDays: 1 } },
    );
  });
});

describe('backorders', () => {
  /** Plans that backorder everything until `available()` says the supply has arrived. */
  function supplyArriving(available: () => boolean, promisedDate: () => string): Partial<OrderActivities> {
    return {
      planSourcing: async (input: PlanSourcingInput) =>
        available()
          ? singleNodePlan(input)
          : backorderedPlan(input, {
              expectedAt: iso((await clock()) + 3 * DAY_MS),
              promisedDate: promisedDate(),
            }),
    };
  }

  test('an order without stock waits backordered with a promised date and is confirmed when the supply arrives', async () => {
    let arrived = false;
    const promised = day(Date.now() + 5 * DAY_MS);
    await withOrder(
      supplyArriving(
        () => arrived,
        () => promised,
      ),
      async ({ fake, handle, orderId }) => {
        const waiting = await ts.waitForStatus(handle, 'backordered');
        expect(waiting.lines[0]).toMatchObject({ status: 'backordered', promisedDate: promised });
        expect(waiting.payment).toMatchObject({ status: 'authorized', authorizedMinor: 9000 });
        expect(fake.callsTo('registerStockWaiters').map((c) => c.input)).toEqual([
          expect.objectContaining({ orderId, skus: ['SKU-1'], workflowId: `order:${orderId}` }),
        ]);
        const backordered = fake
          .callsTo('enqueueNotification')
          .find((c) => (c.input as { event: string }).event === 'backordered');
        expect(backordered?.input).toMatchObject({
          data: { sku: 'SKU-1', quantity: 2, promisedDate: promised },
        });

        arrived = true;
        await handle.signal(stockArrivedSignal, { sku: 'SKU-1', nodeId: 'WH-LYON', quantity: 10 });
        const confirmed = await ts.waitForStatus(handle, 'confirmed');
        expect(confirmed.fulfillments.map((f) => f.fulfillmentId)).toEqual([`${orderId}-F1`]);
        expect(confirmed.backorders).toEqual([]);
        expect(notified(fake)).toEqual(
          expect.arrayContaining(['order_confirmed', 'backordered', 'backorder_available']),
        );
        expect(fake.callsTo('unregisterStockWaiters')).toHaveLength(1);
        await finish(handle);
      },
    );
  });

  test('a missed wake-up is caught by the daily re-check', async () => {
    let arrived = false;
    await withOrder(
      supplyArriving(
        () => arrived,
        () => day(Date.now() + 5 * DAY_MS),
      ),
      async ({ fake, handle }) => {
        await ts.waitForStatus(handle, 'backordered');
        arrived = true;
        await ts.env.sleep(25 * HOUR_MS);
        await ts.waitForStatus(handle, 'confirmed');
        expect(fake.callsTo('planSourcing')).toHaveLength(2);
        await finish(handle);
      },
    );
  });

  test('a promise that slips is told to the customer with the new date', async () => {
    let promised = day(Date.now() + 3 * DAY_MS);
    await withOrder(
      supplyArriving(
        () => false,
        () => promised,
      ),
      async ({ fake, handle }) => {
        await ts.waitForStatus(handle, 'backordered');
        const first = promised;
        promised = day(Date.now() + 10 * DAY_MS);
        await ts.env.sleep(25 * HOUR_MS);
        const delayed = await waitForView(handle, (v) => v.lines[0]?.promisedDate === promised);
        expect(timelineOf(delayed)).toContain('backorder_delayed');
        const notice = fake
          .callsTo('enqueueNotification')
          .find((c) => (c.input as { event: string }).event === 'backorder_delayed');
        expect(notice?.input).toMatchObject({
          data: { sku: 'SKU-1', promisedDate: promised, previousDate: first },
        });
        await finish(handle);
      },
    );
  });

  test('units still backordered after thirty days are cancelled and their authorisation voided', async () => {
    await withOrder(
      supplyArriving(
        () => false,
        () => day(Date.now() + 3 * DAY_MS),
      ),
      async ({ fake, handle, orderId }) => {
        await ts.waitForStatus(handle, 'backordered');
        const final = await result(handle);
        expect(final.status).toBe('cancelled');
        expect(final.lines[0]).toMatchObject({ status: 'cancelled', cancelledQuantity: 2 });
        expect(Date.parse(final.updatedAt) - Date.parse(final.createdAt)).toBeGreaterThanOrEqual(30 * DAY_MS);
        expect(fake.callsTo('voidPayment').map((c) => c.input)).toEqual([
          { idempotencyKey: `void:${orderId}:1`, authorizationId: `auth:${orderId}`, amountMinor: 9000 },
        ]);
        expect(fake.callsTo('unregisterStockWaiters')).toHaveLength(1);
        // Thirty days of daily re-checks stay a short history.
        expect((await handle.fetchHistory()).events!.length).toBeLessThan(400);
        await recordHistoryIfAsked(handle, 'order-v2-backorder-expired');
      },
    );
  });

  test('a ship-complete order waits as a whole and leaves as one parcel once everything is there', async () => {
    let arrived = false;
    const order = { ...ts.orderRequest(), shipComplete: true };
    order.lines = [
      { lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPriceMinor: 1000 },
      { lineId: 'l2', sku: 'SKU-2', quantity: 1, unitPriceMinor: 2000 },
    ];
    await withOrder(
      supplyArriving(
        () => arrived,
        () => day(Date.now() + 5 * DAY_MS),
      ),
      async ({ fake, handle }) => {
        const waiting = await ts.waitForStatus(handle, 'backordered');
        expect(waiting.lines.map((l) => l.status)).toEqual(['backordered', 'backordered']);
        expect(fake.callsTo('reserveOrderAtNode')).toHaveLength(0);
        arrived = true;
        await handle.signal(stockArrivedSignal, { sku: 'SKU-2', nodeId: 'WH-LYON', quantity: 5 });
        const confirmed = await ts.waitForStatus(handle, 'confirmed');
        expect(confirmed.fulfillments).toHaveLength(1);
        expect(confirmed.fulfillments[0]!.lines).toHaveLength(2);
        expect((fake.callsTo('planSourcing')[1]!.input as PlanSourcingInput).shipComplete).toBe(true);
        await finish(handle);
      },
      {},
      order,
    );
  });
});

describe('long-lived orders', () => {
  test('an order waiting for weeks continues as new at quiet points, carrying its state, and completes as one order', async () => {
    let arrived = false;
    await withOrder(
      {
        planSourcing: async (input: PlanSourcingInput) =>
          arrived
            ? singleNodePlan(input)
            : backorderedPlan(input, {
                expectedAt: iso((await clock()) + 20 * DAY_MS),
                promisedDate: day(Date.now() + 21 * DAY_MS),
              }),
      },
      async ({ fake, handle, orderId, driver }) => {
        const first = await ts.waitForStatus(handle, 'backordered');
        const firstRun = (await handle.describe()).runId;
        // Three days and an hour: ending the skip exactly on a 6-hour recheck leaves the signal below
        // racing that timer, which the time-skipping server cannot take (the run's task stays stuck).
        await ts.env.sleep(3 * DAY_MS + HOUR_MS);
        const later = await handle.describe();
        expect(later.runId).not.toBe(firstRun);
        expect(later.memo).toMatchObject({ sourcing: { strategy: 'nothing-available' } });
        const carried = await handle.query(getOrderQuery);
        expect(carried.timeline.slice(0, first.timeline.length)).toEqual(first.timeline);
        expect(carried.status).toBe('backordered');

        arrived = true;
        await handle.signal(stockArrivedSignal, { sku: 'SKU-1', nodeId: 'WH-LYON', quantity: 5 });
        await ts.waitForStatus(handle, 'confirmed');
        await driver.shipAndDeliver(`${orderId}-F1`);
        const final = await result(handle);
        expect(final.status).toBe('completed');
        expect(final.payment).toMatchObject({ capturedMinor: 9000 });
        expect(fake.callsTo('authorizePayment')).toHaveLength(1);
        expect(fake.callsTo('capturePayment')).toHaveLength(1);
        expect(fake.callsTo('registerStockWaiters')).toHaveLength(1);
      },
      { lifecycle: { backorderRecheckHours: 6, continueAsNewAfterEvents: 40 } },
    );
    // Three skipped days of rechecks and several runs: seconds alone, over a minute on a loaded machine.
  }, 180_000);
});

describe('compensation', () => {
  test('a cancellation during the fraud review voids the held authorisation and releases the stock', async () => {
    await withOrder(
      {
        authorizePayment: async ({ idempotencyKey, amountMinor }) => ({
          status: 'review',
          authorizationId: `A-${idempotencyKey}`,
          amountMinor,
          expiresAt: iso((await clock()) + 7 * DAY_MS),
        }),
      },
      async ({ fake, handle, orderId }) => {
        await ts.waitForStatus(handle, 'on_hold');
        const cancelled = await handle.executeUpdate(cancelOrderUpdate, {
          args: [{ reason: 'fraud confirmed', actor: 'agent:test' }],
        });
        expect(cancelled.status).toBe('cancelled');
        expect(cancelled.hold).toBeUndefined();
        expect(fake.callsTo('voidPayment').map((c) => c.input)).toEqual([
          { idempotencyKey: `void:${orderId}:1`, authorizationId: `A-auth:${orderId}`, amountMinor: 9000 },
        ]);
        expect(
          fake
            .callsTo('adjustReservedLine')
            .map((c) => (c.input as { line: { quantity: number } }).line.quantity),
        ).toEqual([0]);
        expect(fake.callsTo('releaseNodeCapacity')).toHaveLength(1);
        expect(fake.callsTo('recordFulfillment')).toHaveLength(0);
        expect((await result(handle)).status).toBe('cancelled');
      },
    );
  });

  test('a click-and-collect parcel not collected within the window goes back on the shelf and its share is voided', async () => {
    const order = {
      ...ts.orderRequest(),
      delivery: { method: 'pickup' as const, pickupNodeId: 'ST-MARSEILLE' },
    };
    await withOrder(
      // The store holds the units itself (from another node they would travel first: see fulfillment-transfer).
      { planSourcing: (input) => Promise.resolve(singleNodePlan(input, 'ST-MARSEILLE')) },
      async ({ fake, handle, orderId, driver }) => {
        await ts.waitForStatus(handle, 'confirmed');
        await driver.ready(`${orderId}-F1`);
        await ts.waitForStatus(handle, 'ready_for_pickup');
        const final = await result(handle);
        expect(final.status).toBe('cancelled');
        expect(final.fulfillments[0]!.status).toBe('not_collected');
        expect(final.lines[0]).toMatchObject({ status: 'cancelled', cancelledQuantity: 2 });
        expect(fake.callsTo('releaseReservedLines')).toHaveLength(1);
        expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(0);
        expect(
          fake.callsTo('voidPayment').map((c) => (c.input as { amountMinor: number }).amountMinor),
        ).toEqual([9000]);
        expect(fake.callsTo('capturePayment')).toHaveLength(0);
        expect(notified(fake)).toContain('not_collected');
      },
      { lifecycle: { pickupWindowDays: 2 } },
      order,
    );
  });

  test('a carrier whose label service fails twice still ships the parcel once and the share is captured once', async () => {
    let attempts = 0;
    await withOrder(
      {
        bookShipment: ({ fulfillmentId }) => {
          attempts += 1;
          if (attempts <= 2) return Promise.reject(scriptedOutage('label service down'));
          return Promise.resolve({
            trackingNumber: `TRK-${fulfillmentId}`,
            carrier: 'SIMPOST',
            labelUrl: 'label',
          });
        },
      },
      async ({ fake, handle, orderId, driver }) => {
        await ts.waitForStatus(handle, 'confirmed');
        await driver.shipAndDeliver(`${orderId}-F1`);
        const final = await result(handle);
        expect(final.status).toBe('completed');
        expect(fake.callsTo('bookShipment')).toHaveLength(3);
        expect(fake.callsTo('consumeOrderAtNode')).toHaveLength(1);
        expect(fake.callsTo('capturePayment')).toHaveLength(1);
      },
    );
  });
});
