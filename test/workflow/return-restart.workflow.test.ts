import { activityInfo } from '@temporalio/activity';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  type Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import type { OrderActivities } from '../../activities';
import type { OrderView } from '../../src/domain/order-view';
import type { ReturnView } from '../../src/domain/returns/return-view';
import { createOrderWorker } from '../../src/worker/create-order-worker';
import { getOrderQuery, orderWorkflowId } from '../../workflows/order.messages';
import { returnWorkflowId } from '../../workflows/return.messages';
import { installQuietRuntime } from '../support/quiet-temporal';
import { temporalAddress } from '../support/servers';
import { createFakeOrderActivities, scriptedOutage } from './support/fake-order-activities';
import { waitFor } from './support/fulfillment-test-env';
import { createFakeProvider, termsWith } from './support/return-fakes';
import { receiveOneAtLyon, requestReturn } from './support/return-requests';
import { COATS_AND_BAG } from './support/return-test-env';
import { TimeSkippingOrderEnv } from './support/time-skipping-env';
import type { returnTestOrder } from './support/return-test-workflows';

// A worker that dies between the receipt and the refund, on the suite's real Temporal server (its sticky
// queues time out in real time, so the next worker takes over the RMA).
const taskQueue = `return-restart-${process.pid}-${Date.now()}`;
let client: Client;
let clientConnection: Connection;
let connection: NativeConnection;
let bundle: WorkerOptions['workflowBundle'];
const clock = () => Promise.resolve(Date.now());

beforeAll(async () => {
  installQuietRuntime();
  clientConnection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection: clientConnection });
  connection = await NativeConnection.connect({ address: temporalAddress() });
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./support/return-test-workflows'),
    logger: new DefaultLogger('ERROR'),
  });
}, 120_000);

afterAll(async () => {
  await connection.close();
  await clientConnection.close();
});

async function startWorker(activities: OrderActivities): Promise<{ worker: Worker; running: Promise<void> }> {
  const worker = await createOrderWorker({
    connection,
    taskQueue,
    activities,
    workflowBundle: bundle,
    options: { stickyQueueScheduleToStartTimeout: '1 second' },
  });
  return { worker, running: worker.run() };
}

test('a worker that dies between the receipt and the refund: the next worker refunds under the same key, money moves once', async () => {
  const provider = createFakeProvider();
  const base = { ...provider.overrides, readReturnTerms: termsWith() };
  // The first worker's provider call goes through, then the worker "dies" before it can report back.
  const dying = createFakeOrderActivities(clock, {
    ...base,
    refundPayment: async (input) => {
      await provider.overrides.refundPayment!(input);
      throw scriptedOutage(`worker died after refund attempt ${activityInfo().attempt}`);
    },
  });
  // Only the env's order request: this test runs on the suite's real server.
  const request = { ...new TimeSkippingOrderEnv('return-restart').orderRequest(), lines: COATS_AND_BAG };
  const first = await startWorker(dying.activities);
  const order: WorkflowHandle<typeof returnTestOrder> = await client.workflow.start<typeof returnTestOrder>(
    'returnTestOrder',
    {
      workflowId: orderWorkflowId(request.orderId),
      taskQueue,
      args: [{ order: request }],
    },
  );
  const healthy = createFakeOrderActivities(clock, base);
  try {
    await waitFor(async () => (await order.query(getOrderQuery)).status === 'completed');
    const rma = await requestReturn(order, { actor: 'agent:desk' });
    const received = await receiveOneAtLyon(client, rma.rmaId);
    expect(received.status).toBe('received');
    await waitFor(async () => dying.callsTo('refundPayment').length > 0);
    first.worker.shutdown();
    await first.running;

    const second = await startWorker(healthy.activities);
    try {
      const done = (await client.workflow.getHandle(returnWorkflowId(rma.rmaId)).result()) as ReturnView;
      expect(done).toMatchObject({ status: 'completed', refund: { refundedMinor: 4500 } });
      const keys = [...dying.callsTo('refundPayment'), ...healthy.callsTo('refundPayment')].map(
        (c) => (c.input as { idempotencyKey: string }).idempotencyKey,
      );
      expect(new Set(keys)).toEqual(new Set([`refund:${rma.rmaId}:s1:0`]));
      expect(provider.total('refund')).toBe(4500);
      expect(healthy.callsTo('restockReturnedUnits')).toHaveLength(0);
      await waitFor(
        async () => ((await order.query(getOrderQuery)) as OrderView).payment.refundedMinor === 4500,
      );
    } finally {
      second.worker.shutdown();
      await second.running;
    }
  } finally {
    if (first.worker.getState() === 'RUNNING') {
      first.worker.shutdown();
      await first.running;
    }
    await order.terminate('test finished').catch(() => undefined);
  }
}, 90_000);
