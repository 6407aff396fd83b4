import { activityInfo } from '@temporalio/activity';
import { captureKey } from '../../src/domain/order-state';
import type { OrderView } from '../../src/domain/order-view';
import type { ShipResult } from '../../workflows/fulfillment.messages';
import { getOrderQuery } from '../../workflows/order.messages';
import {
  simulateFulfillmentWorkflow,
  simulationWorkflowId,
} from '../../workflows/simulate-fulfillment.workflow';
import {
  createFakeOrderActivities,
  scriptedOutage,
  type ActivityCall,
} from './support/fake-order-activities';
import { OrderDriver } from './support/order-driver';
import { TimeSkippingOrderEnv } from './support/time-skipping-env';

// Timers, retry backoffs and long waits of the order workflows, on the time-skipping test server with
// in-memory activities: hours and days of workflow time pass in a second or so of wall time.
const SECOND_MS = 1000;
const HOUR_MS = 60 * 60 * SECOND_MS;
const DAY_MS = 24 * HOUR_MS;

const ts = new TimeSkippingOrderEnv('time-skipping');
const serverClock = () => ts.env.currentTimeMs();

beforeAll(() => ts.setUp(), 60_000);
afterAll(() => ts.tearDown(), 30_000);

const gapsBetween = (calls: readonly ActivityCall[]): number[] =>
  calls.slice(1).map((call, index) => call.atMs - calls[index]!.atMs);

const ship = (fulfillmentId: string): Promise<ShipResult> =>
  new OrderDriver(ts.env.client).ship(fulfillmentId);

async function deliver(shipped: ShipResult): Promise<void> {
  const driver = new OrderDriver(ts.env.client);
  await driver.track(shipped.fulfillmentId, shipped.trackingNumber, 'in_transit');
  await driver.track(shipped.fulfillmentId, shipped.trackingNumber, 'delivered');
}

test('the auto simulation ships, then reports in transit, then delivered, one six-hour step apart, in seconds', async () => {
  const fake = createFakeOrderActivities(serverClock);
  const fulfillmentId = `o-sim-${Date.now()}-F1`;
  const wallStart = Date.now();
  const handle = await ts.withWorker(fake.activities, async () => {
    const started = await ts.env.client.workflow.start(simulateFulfillmentWorkflow, {
      workflowId: simulationWorkflowId(fulfillmentId),
      taskQueue: ts.taskQueue,
      args: [{ orderId: 'o-sim', fulfillmentId, stepMs: 6 * HOUR_MS }],
    });
    await started.result();
    return started;
  });
  const wallMs = Date.now() - wallStart;

  expect(fake.calls.map(({ name, input }) => [name, (input as { event?: string }).event])).toEqual([
    ['postSimulatedShip', undefined],
    ['postSimulatedCarrierEvent', 'in_transit'],
    ['postSimulatedCarrierEvent', 'delivered'],
  ]);
  expect(fake.calls.slice(1).map(({ input }) => input)).toEqual([
    { fulfillmentId, trackingNumber: `TRK-${fulfillmentId}`, event: 'in_transit' },
    { fulfillmentId, trackingNumber: `TRK-${fulfillmentId}`, event: 'delivered' },
  ]);
  const { startTime, closeTime } = await handle.describe();
  expect(fake.calls[0]!.atMs - startTime.getTime()).toBeGreaterThanOrEqual(6 * HOUR_MS);
  for (const gap of gapsBetween(fake.calls)) expect(gap).toBeGreaterThanOrEqual(6 * HOUR_MS);
  expect(closeTime!.getTime() - startTime.getTime()).toBeGreaterThanOrEqual(18 * HOUR_MS);
  expect(wallMs).toBeLessThan(10 * SECOND_MS);
});

test('a confirmed manual order left alone for thirty days stays confirmed and answers queries, then ships, is delivered and captures once', async () => {
  const fake = createFakeOrderActivities(serverClock);
  const order = ts.orderRequest();
  const final = await ts.withWorker(fake.activities, async () => {
    const handle = await ts.startOrder(order, { simulation: 'manual' });
    await ts.waitForStatus(handle, 'confirmed');

    const before = await ts.env.currentTimeMs();
    await ts.env.sleep(30 * DAY_MS);
    expect((await ts.env.currentTimeMs()) - before).toBeGreaterThanOrEqual(30 * DAY_MS);

    const waiting = await handle.query(getOrderQuery);
    expect(waiting.status).toBe('confirmed');
    expect(waiting.fulfillments.map((f) => f.status)).toEqual(['created']);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    await deliver(await ship(`${order.orderId}-F1`));
    return (await handle.result()) as OrderView;
  });

  expect(final.status).toBe('completed');
  expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 9000 });
  expect(fake.callsTo('capturePayment').map(({ input }) => input)).toEqual([
    {
      idempotencyKey: captureKey(order.orderId, `${order.orderId}-F1`),
      authorizationId: `auth:${order.orderId}`,
      amountMinor: 9000,
    },
  ]);
  // The workflow's own clock saw the month go by between confirmation and shipping.
  const at = (type: string) => Date.parse(final.timeline.find((entry) => entry.type === type)!.at);
  expect(at('shipped') - at('confirmed')).toBeGreaterThanOrEqual(30 * DAY_MS);
});

test('a capture that fails twice is retried with backoff and the order completes with one capture after three attempts', async () => {
  const fake = createFakeOrderActivities(serverClock, {
    capturePayment: async ({ idempotencyKey, amountMinor }) => {
      if (activityInfo().attempt <= 2) throw scriptedOutage('payment provider unavailable');
      return { captureId: `capture:${idempotencyKey}`, amountMinor };
    },
  });
  const order = ts.orderRequest();
  const final = await ts.withWorker(fake.activities, async () => {
    const handle = await ts.startOrder(order);
    await ts.waitForStatus(handle, 'confirmed');
    await deliver(await ship(`${order.orderId}-F1`));
    return (await handle.result()) as OrderView;
  });

  expect(final.status).toBe('completed');
  expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 9000 });
  const attempts = fake.callsTo('capturePayment');
  expect(attempts.map(({ attempt }) => attempt)).toEqual([1, 2, 3]);
  // Every retry carries the same idempotency key, so the provider can never capture twice.
  expect(new Set(attempts.map(({ input }) => JSON.stringify(input))).size).toBe(1);
  // The retry policy: 500 ms, then twice that.
  const [first, second] = gapsBetween(attempts);
  expect(first).toBeGreaterThanOrEqual(500);
  expect(second).toBeGreaterThanOrEqual(1000);
});

test('a payment provider down for a minute of workflow time is ridden out with backoff capped at 30 s, in a few seconds', async () => {
  let outageStartMs: number | undefined;
  const fake = createFakeOrderActivities(serverClock, {
    capturePayment: async ({ idempotencyKey, amountMinor }) => {
      const now = await ts.env.currentTimeMs();
      outageStartMs ??= now;
      if (now - outageStartMs < 60 * SECOND_MS) throw scriptedOutage('payment provider unavailable');
      return { captureId: `capture:${idempotencyKey}`, amountMinor };
    },
  });
  const order = ts.orderRequest();
  const final = await ts.withWorker(fake.activities, async () => {
    const handle = await ts.startOrder(order);
    await ts.waitForStatus(handle, 'confirmed');
    await deliver(await ship(`${order.orderId}-F1`));
    const wallStart = Date.now();
    const view = (await handle.result()) as OrderView;
    expect(Date.now() - wallStart).toBeLessThan(20 * SECOND_MS);
    return view;
  });

  expect(final.status).toBe('completed');
  expect(final.payment.capturedMinor).toBe(9000);
  const gaps = gapsBetween(fake.callsTo('capturePayment'));
  // 0.5 + 1 + 2 + 4 + 8 + 16 + 30 s: the seventh retry is the first one after the outage.
  expect(gaps).toHaveLength(7);
  gaps.forEach((gap, index) => {
    expect(gap).toBeGreaterThanOrEqual(Math.min(500 * 2 ** index, 30 * SECOND_MS));
    expect(gap).toBeLessThan(30 * SECOND_MS + 2 * SECOND_MS);
  });
});
