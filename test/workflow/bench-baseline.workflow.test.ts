import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { countActivities } from '../../src/bench/activity-count';
import { createOrderWorker } from '../../src/worker/create-order-worker';
import type { BenchActivitiesInput } from '../../workflows/bench-activities.workflow';
import { bundleTestWorkflows, installQuietRuntime } from '../support/quiet-temporal';
import { temporalAddress } from '../support/servers';
import { createInMemoryActivities } from './support/fake-order-activities';

// The benchmark's baseline must run exactly the activities it is asked for, and the counter that reads an
// order's history must count them the same way, or the bench's ratio compares unlike things.

const taskQueue = `bench-baseline-${process.pid}-${Date.now()}`;
let connection: Connection;
let client: Client;
let workerConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  installQuietRuntime();
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection });
  workerConnection = await NativeConnection.connect({ address: temporalAddress() });
  worker = await createOrderWorker({
    connection: workerConnection,
    taskQueue,
    activities: createInMemoryActivities(),
    workflowBundle: await bundleTestWorkflows(),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker.shutdown();
  await running;
  await workerConnection.close();
  await connection.close();
});

test('the baseline workflow runs as many activities and local activities as asked, as the history counts them', async () => {
  const input: BenchActivitiesInput = { activities: 3, localActivities: 5 };
  const workflowId = `bench-activities:test:${Date.now()}`;
  await client.workflow.execute('benchActivitiesWorkflow', { taskQueue, workflowId, args: [input] });
  expect(await countActivities(client, workflowId)).toEqual({
    activities: 3,
    localActivities: 5,
    workflows: 1,
  });
});

test('activities of every run of a workflow that continued as new are counted, as one workflow', async () => {
  const input: BenchActivitiesInput = { activities: 3, localActivities: 5, runs: 3 };
  const workflowId = `bench-activities:test-runs:${Date.now()}`;
  await client.workflow.execute('benchActivitiesWorkflow', { taskQueue, workflowId, args: [input] });
  expect(await countActivities(client, workflowId)).toEqual({
    activities: 3,
    localActivities: 5,
    workflows: 1,
  });
});
