import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkerOptions } from '@temporalio/worker';
import type { OrderActivities } from '../../../activities';
import type { OrderRequest } from '../../../src/domain/order-request';
import type { OrderStatus, OrderView } from '../../../src/domain/order-view';
import { SEARCH_ATTRIBUTES } from '../../../src/dev/search-attributes';
import { createOrderWorker } from '../../../src/worker/create-order-worker';
import { orderWorkflowId, type OrderWorkflowInput } from '../../../workflows/order.messages';
import { bundleTestWorkflows, installQuietRuntime } from '../../support/quiet-temporal';
import { orderWorkflowInput } from './order-workflow-input';
import { waitForOrderStatus } from './wait-for-status';
import { testServerExecutable } from '../../support/servers';
import { LYON_ADDRESS } from './order-test-env';

const START_ATTEMPTS = 3;

/**
 * The Java SDK's time-skipping test server (the installed binary), one per test file, with the workflows
 * bundled once. Workflow timers and activity retry backoffs pass in skipped time while a result is awaited
 * or the test calls `env.sleep`; while an activity attempt runs the server's clock runs in real time, so a
 * start-to-close timeout cannot be skipped to. Tests in one file share the clock: run them one at a time.
 */
export class TimeSkippingOrderEnv {
  readonly taskQueue: string;
  private testEnv: TestWorkflowEnvironment | undefined;
  private bundle: WorkerOptions['workflowBundle'];
  private orderCounter = 0;

  constructor(private readonly name: string) {
    this.taskQueue = `${name}-${process.pid}-${Date.now()}`;
  }

  get env(): TestWorkflowEnvironment {
    if (!this.testEnv) throw new Error('TimeSkippingOrderEnv.setUp() has not run');
    return this.testEnv;
  }

  async setUp(): Promise<void> {
    installQuietRuntime();
    this.testEnv = await createTimeSkippingEnvironment();
    await registerSearchAttributes(this.testEnv);
    this.bundle = await bundleTestWorkflows();
  }

  async tearDown(): Promise<void> {
    await this.testEnv?.teardown();
    this.testEnv = undefined;
  }

  /** Runs `body` with a worker on this file's task queue serving these activities; the worker stops after. */
  async withWorker<T>(activities: OrderActivities, body: () => Promise<T>): Promise<T> {
    const worker = await createOrderWorker({
      connection: this.env.nativeConnection,
      taskQueue: this.taskQueue,
      activities,
      workflowBundle: this.bundle,
    });
    return worker.runUntil(body);
  }

  /** A valid order to Lyon for two units of one SKU. */
  orderRequest(): OrderRequest {
    return {
      orderId: `o-${this.name}-${++this.orderCounter}-${Date.now()}`,
      channel: 'web',
      customer: { id: 'cust-1', email: 'ada@example.com' },
      currency: 'EUR',
      lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPriceMinor: 4500 }],
      delivery: { method: 'ship', address: LYON_ADDRESS },
      payment: { token: 'tok_ok' },
    };
  }

  /** Starts `order:<orderId>` the way the gateway does. */
  startOrder(order: OrderRequest, input: Partial<OrderWorkflowInput> = {}): Promise<WorkflowHandle> {
    const workflowInput = orderWorkflowInput(order, input);
    return this.env.client.workflow.start('orderWorkflow', {
      workflowId: orderWorkflowId(order.orderId),
      taskQueue: this.taskQueue,
      args: [workflowInput],
    });
  }

  /** Polls the live view (in real time: the server's clock stands still meanwhile) until it reaches the status. */
  async waitForStatus(handle: WorkflowHandle, status: OrderStatus, timeoutMs = 20_000): Promise<OrderView> {
    return waitForOrderStatus(handle, status, timeoutMs, 50);
  }
}

/**
 * The SDK waits a fixed few seconds for the server's port; the native binary usually listens within
 * 200 ms, but a starved machine can miss the window, so a failed start is tried again on a new port.
 */
async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: testServerExecutable() },
      });
    } catch (error) {
      if (attempt >= START_ATTEMPTS) throw error;
    }
  }
}

/** The order workflow upserts its search attributes; the test server refuses unknown ones like any other. */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((name) => [name, keyword])),
  });
}
