import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { OrderActivities } from '../../../activities';
import type { OrderRequest } from '../../../src/domain/order-request';
import type { ReturnStatus, ReturnView } from '../../../src/domain/returns/return-view';
import { getReturnQuery, returnWorkflowId } from '../../../workflows/return.messages';
import { orderWorkflowId } from '../../../workflows/order.messages';
import { fulfillmentWorkflowId } from '../../../workflows/fulfillment.messages';
import { waitFor } from './fulfillment-test-env';
import { createReturnFakes, type ReturnFakes } from './return-fakes';
import type { returnTestOrder, ReturnTestOrderInput } from './return-test-workflows';
import { BundledTimeSkippingEnv } from './bundled-test-env';

const TEST_WORKFLOWS = require.resolve('./return-test-workflows');
const EventType = temporal.api.enums.v1.EventType;

/** The stand-in order's lines: 2 × COAT-RED-M at 4500 and 1 × SKU-B at 9000 (total 18000). */
export const COATS_AND_BAG: OrderRequest['lines'] = [
  { lineId: 'l1', sku: 'COAT-RED-M', quantity: 2, unitPriceMinor: 4500 },
  { lineId: 'l2', sku: 'SKU-B', quantity: 1, unitPriceMinor: 9000 },
];

/** The time-skipping server with a bundle of the RMA child, the fulfilment child and a stand-in order. */
export class ReturnTestEnv extends BundledTimeSkippingEnv {
  private readonly started: string[] = [];

  constructor(name: string) {
    super(name, TEST_WORKFLOWS);
  }

  /** Runs `body` with a worker over in-memory activities and a fake provider, reading these terms. */
  withFakes<T>(
    terms: OrderActivities['readReturnTerms'],
    body: (fakes: ReturnFakes) => Promise<T>,
  ): Promise<T> {
    const fakes = createReturnFakes(() => this.now(), { readReturnTerms: terms });
    return this.withWorker(fakes.fake.activities, () => body(fakes));
  }

  /** An order to Lyon of COATS_AND_BAG. */
  order(overrides: Partial<OrderRequest> = {}): OrderRequest {
    return { ...this.ts.orderRequest(), lines: COATS_AND_BAG, ...overrides };
  }

  /** Starts the stand-in order; answers its handle once it has published its first view. */
  async startOrder(input: ReturnTestOrderInput): Promise<WorkflowHandle<typeof returnTestOrder>> {
    this.started.push(input.order.orderId);
    const handle = await this.client.workflow.start<typeof returnTestOrder>('returnTestOrder', {
      workflowId: orderWorkflowId(input.order.orderId),
      taskQueue: this.ts.taskQueue,
      args: [input],
    });
    await waitFor(async () => {
      try {
        const view = await handle.query('getOrder');
        return (view as { status: string }).status !== 'received';
      } catch {
        return false;
      }
    });
    return handle;
  }

  /**
   * Terminates every order started so far and their RMAs (a test's leftovers would otherwise wake up under the
   * next test's worker when time is skipped).
   */
  async cleanUp(): Promise<void> {
    const ids = this.started
      .splice(0)
      .flatMap((orderId) => [
        orderWorkflowId(orderId),
        ...[1, 2, 3].flatMap((n) => [
          returnWorkflowId(`${orderId}-R${n}`),
          fulfillmentWorkflowId(`${orderId}-R${n}-X1`),
        ]),
      ]);
    await Promise.allSettled(ids.map((id) => this.client.workflow.getHandle(id).terminate('test finished')));
  }

  /** Waits until none of these workflows is in the middle of a workflow task (see waitUntilIdle). */
  idle(...handles: WorkflowHandle[]): Promise<void> {
    return waitUntilIdle(...handles);
  }

  /** The RMA child's handle. */
  rma(rmaId: string): WorkflowHandle {
    return this.client.workflow.getHandle(returnWorkflowId(rmaId));
  }

  /** Polls the RMA's view (in real time) until it has this status. */
  async waitForReturnStatus(rmaId: string, status: ReturnStatus): Promise<ReturnView> {
    let view: ReturnView | undefined;
    await waitFor(async () => {
      try {
        view = await this.rma(rmaId).query(getReturnQuery);
        return view.status === status;
      } catch {
        return false;
      }
    });
    return view!;
  }
}

/**
 * A ReturnTestEnv set up before the test file, cleaned up after each test (see cleanUp) and torn down after
 * the file. Call at the top level of the file.
 */
export function returnTestEnvAroundFile(name: string): ReturnTestEnv {
  const env = new ReturnTestEnv(name);
  beforeAll(() => env.setUp(), 120_000);
  afterEach(() => env.cleanUp(), 30_000);
  afterAll(() => env.tearDown(), 30_000);
  return env;
}

/**
 * Waits until none of these workflows is in the middle of a workflow task. The time-skipping server does not
 * know of local activities: were it to skip time while one runs, the task would time out (in skipped time)
 * over and over. Call it before awaiting a result or sleeping, so time is skipped only while the workflows wait.
 */
export async function waitUntilIdle(...handles: WorkflowHandle[]): Promise<void> {
  const busy = async (handle: WorkflowHandle): Promise<boolean> => {
    const { events } = await handle.fetchHistory();
    const last = events?.at(-1)?.eventType;
    return (
      last === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED ||
      last === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
    );
  };
  let quiet = 0;
  await waitFor(async () => {
    quiet = (await Promise.all(handles.map(busy))).some(Boolean) ? 0 : quiet + 1;
    return quiet >= 2;
  });
}
