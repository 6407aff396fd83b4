import { simulationWorkflowId } from '../../workflows/simulate-fulfillment.workflow';
import { createFakeOrderActivities } from './support/fake-order-activities';
import { FulfillmentTestEnv } from './support/fulfillment-test-env';
import { recordHistoryIfAsked } from './support/record-history';

// The auto simulation of a click-and-collect part from another node, alone on the time-skipping server with
// in-memory activities standing in for the HTTP calls: the transfer leg first, then the pickup.
const HOUR_MS = 60 * 60 * 1000;
const env = new FulfillmentTestEnv('simulate-transfer');
const clock = () => env.now();

beforeAll(() => env.setUp(), 120_000);
afterAll(() => env.tearDown(), 30_000);

test('the source ships the transfer, the carrier delivers it to the store, then it is made ready and collected', async () => {
  const fake = createFakeOrderActivities(clock);
  const fulfillmentId = `o-sim-transfer-${Date.now()}-F1`;
  await env.withWorker(fake.activities, () =>
    env.client.workflow.execute('simulateFulfillmentWorkflow', {
      workflowId: simulationWorkflowId(fulfillmentId),
      taskQueue: env.ts.taskQueue,
      args: [{ orderId: 'o-sim', fulfillmentId, stepMs: HOUR_MS, method: 'pickup', transfer: true }],
    }),
  );
  await recordHistoryIfAsked(
    env.client.workflow.getHandle(simulationWorkflowId(fulfillmentId)),
    'simulate-fulfillment-transfer',
  );
  const steps = fake.calls.map(({ name, input }) => {
    const { step, event, trackingNumber } = input as {
      step?: string;
      event?: string;
      trackingNumber?: string;
    };
    return [name, step ?? event, trackingNumber];
  });
  expect(steps).toEqual([
    ['postSimulatedHandover', 'ship', undefined],
    ['postSimulatedCarrierEvent', 'in_transit', `TRK-${fulfillmentId}`],
    ['postSimulatedCarrierEvent', 'delivered', `TRK-${fulfillmentId}`],
    ['postSimulatedHandover', 'ready', undefined],
    ['postSimulatedHandover', 'picked-up', undefined],
  ]);
  // One step an hour apart.
  expect(fake.calls[4]!.atMs - fake.calls[0]!.atMs).toBeGreaterThanOrEqual(4 * HOUR_MS);
});
