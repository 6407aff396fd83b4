import type { OrderActivities } from '../../activities';
import type { SimulatedHandoverOutcome } from '../../activities/simulation.activities';
import { rejectUpdate } from '../../workflows/fulfillment.messages';
import { simulationWorkflowId } from '../../workflows/simulate-fulfillment.workflow';
import { createFakeOrderActivities, type ActivityCall } from './support/fake-order-activities';
import { FulfillmentTestEnv } from './support/fulfillment-test-env';
import { recordHistoryIfAsked } from './support/record-history';

// The auto simulation of lifecycle-v2 fulfilments (started by the fulfilment child with its method), on
// the time-skipping server with in-memory activities standing in for the HTTP calls.
const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const env = new FulfillmentTestEnv('fulfillment-sim');
const clock = () => env.now();

beforeAll(() => env.setUp(), 120_000);
afterAll(() => env.tearDown(), 30_000);

const stepsOf = (calls: ActivityCall[]) =>
  calls.map(({ name, input }) => {
    const { step, event } = input as { step?: string; event?: string };
    return [name, step ?? event ?? ''];
  });

/** Runs `sim:<fulfillmentId>` alone to its end. */
async function simulate(activities: OrderActivities, method: 'ship' | 'pickup', stepMs = HOUR_MS) {
  const fulfillmentId = `o-sim-${method}-${Date.now()}-F1`;
  await env.withWorker(activities, () =>
    env.client.workflow.execute('simulateFulfillmentWorkflow', {
      workflowId: simulationWorkflowId(fulfillmentId),
      taskQueue: env.ts.taskQueue,
      args: [{ orderId: 'o-sim', fulfillmentId, stepMs, method }],
    }),
  );
  return fulfillmentId;
}

/** A handover activity answering from a script, then `done`. */
const scriptedHandover =
  (...answers: SimulatedHandoverOutcome[]): OrderActivities['postSimulatedHandover'] =>
  ({ fulfillmentId, step }) =>
    Promise.resolve(
      answers.shift() ??
        (step === 'ship' ? { outcome: 'done', trackingNumber: `TRK-${fulfillmentId}` } : { outcome: 'done' }),
    );

test('a pickup is made ready, then collected, one step apart, through the fulfilment routes', async () => {
  const fake = createFakeOrderActivities(clock);
  const fulfillmentId = await simulate(fake.activities, 'pickup');
  await recordHistoryIfAsked(
    env.client.workflow.getHandle(simulationWorkflowId(fulfillmentId)),
    'simulate-fulfillment-pickup',
  );
  expect(stepsOf(fake.calls)).toEqual([
    ['postSimulatedHandover', 'ready'],
    ['postSimulatedHandover', 'picked-up'],
  ]);
  expect(fake.calls[1]!.atMs - fake.calls[0]!.atMs).toBeGreaterThanOrEqual(HOUR_MS);
});

test('a parcel is shipped, in transit, then delivered', async () => {
  const fake = createFakeOrderActivities(clock);
  const fulfillmentId = await simulate(fake.activities, 'ship');
  expect(stepsOf(fake.calls)).toEqual([
    ['postSimulatedHandover', 'ship'],
    ['postSimulatedCarrierEvent', 'in_transit'],
    ['chooseSimulatedParcelFate', ''],
    ['postSimulatedCarrierEvent', 'delivered'],
  ]);
  expect(fake.callsTo('postSimulatedCarrierEvent')[0]!.input).toMatchObject({
    trackingNumber: `TRK-${fulfillmentId}`,
  });
});

test('a parcel the carrier loses is reported as an exception instead of delivered', async () => {
  const fake = createFakeOrderActivities(clock, {
    chooseSimulatedParcelFate: () => Promise.resolve('lost' as const),
  });
  await simulate(fake.activities, 'ship');
  expect(
    fake.callsTo('postSimulatedCarrierEvent').map((call) => (call.input as { event: string }).event),
  ).toEqual(['in_transit', 'exception']);
});

test('while the order is on hold the simulation asks again later, less and less often', async () => {
  const fake = createFakeOrderActivities(clock, {
    postSimulatedHandover: scriptedHandover(
      { outcome: 'on_hold' },
      { outcome: 'on_hold' },
      { outcome: 'on_hold' },
    ),
  });
  await simulate(fake.activities, 'ship', 10 * MINUTE_MS);
  const attempts = fake.callsTo('postSimulatedHandover');
  expect(attempts).toHaveLength(4);
  const gaps = attempts.slice(1).map((call, i) => call.atMs - attempts[i]!.atMs);
  expect(gaps[0]).toBeGreaterThanOrEqual(10 * MINUTE_MS);
  expect(gaps[1]).toBeGreaterThanOrEqual(20 * MINUTE_MS);
  expect(gaps[2]).toBeGreaterThanOrEqual(40 * MINUTE_MS);
  expect(fake.callsTo('postSimulatedCarrierEvent')).toHaveLength(2);
});

test('a fulfilment that closed (cancelled, rejected) ends the simulation quietly', async () => {
  const fake = createFakeOrderActivities(clock, {
    postSimulatedHandover: scriptedHandover({ outcome: 'closed', reason: 'cancelled' }),
  });
  await simulate(fake.activities, 'pickup');
  expect(stepsOf(fake.calls)).toEqual([['postSimulatedHandover', 'ready']]);
});

test('a fulfilment child in auto simulation starts sim:<fulfillmentId> with its method', async () => {
  const fake = createFakeOrderActivities(clock);
  await env.withWorker(fake.activities, async () => {
    const input = env.input({ method: 'pickup', address: undefined, simulation: 'auto', simStepMs: 1000 });
    const { parent, child } = await env.start(input);
    await env.client.workflow.getHandle(simulationWorkflowId(input.fulfillmentId)).result();
    expect(stepsOf(fake.calls.filter((call) => call.name === 'postSimulatedHandover'))).toEqual([
      ['postSimulatedHandover', 'ready'],
      ['postSimulatedHandover', 'picked-up'],
    ]);
    await child.executeUpdate(rejectUpdate, { args: [{ actor: 'node:test', reason: 'test over' }] });
    await parent.result();
  });
});
