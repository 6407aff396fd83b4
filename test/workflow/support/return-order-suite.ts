import type { Client, WorkflowHandle } from '@temporalio/client';
import type { OrderActivities } from '../../../activities';
import type { OrderRequest } from '../../../src/domain/order-request';
import type { OrderStatus, OrderView } from '../../../src/domain/order-view';
import { fulfillmentWorkflowId } from '../../../workflows/fulfillment.messages';
import { orderWorkflowId, type OrderWorkflowInput } from '../../../workflows/order.messages';
import { returnWorkflowId } from '../../../workflows/return.messages';
import { OrderDriver } from './order-driver';
import { createReturnFakes, type ReturnFakes } from './return-fakes';
import { TimeSkippingOrderEnv } from './time-skipping-env';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** What starts orders and watches them: TimeSkippingOrderEnv and OrderTestEnv alike. */
export interface OrderStarter {
  startOrder(order: OrderRequest, input?: Partial<OrderWorkflowInput>): Promise<WorkflowHandle>;
  waitForStatus(handle: WorkflowHandle, status: OrderStatus): Promise<OrderView>;
}

/** Starts the order and runs its single parcel (F1) to the customer: answers once the order is completed. */
export async function runToDelivery(
  starter: OrderStarter,
  client: Client,
  order: OrderRequest,
  input: Partial<OrderWorkflowInput> = {},
): Promise<WorkflowHandle> {
  const handle = await starter.startOrder(order, input);
  await starter.waitForStatus(handle, 'confirmed');
  await new OrderDriver(client).shipAndDeliver(`${order.orderId}-F1`);
  await starter.waitForStatus(handle, 'completed');
  return handle;
}

/** A running v2 order and the fakes around it. */
export interface ReturnOrder extends ReturnFakes {
  handle: WorkflowHandle;
  orderId: string;
  driver: OrderDriver;
}

export interface ReturnOrderOptions {
  /** Changes to the default order (2 × SKU-1 at 4500 to Lyon). */
  order?: Partial<OrderRequest>;
  input?: Partial<OrderWorkflowInput>;
  /** Activities replaced; `readReturnTerms` is termsWith() unless given. */
  overrides?: Partial<OrderActivities>;
}

/**
 * The real v2 order (with the returns plug-in) on a time-skipping server of the file's own, with in-memory
 * activities and a provider that moves money once per key. Call at the top level of a test file: it sets the
 * server up before the file, terminates each test's workflows after the test (leftovers would wake up under
 * the next test's worker when time is skipped), and tears the server down after the file.
 */
export function returnOrderSuite(name: string) {
  const ts = new TimeSkippingOrderEnv(name);
  const started: string[] = [];
  const clock = () => ts.env.currentTimeMs();

  beforeAll(() => ts.setUp(), 120_000);
  afterEach(async () => {
    const ids = started
      .splice(0)
      .flatMap((orderId) => [
        orderWorkflowId(orderId),
        ...[1, 2].map((n) => fulfillmentWorkflowId(`${orderId}-F${n}`)),
        ...[1, 2].map((n) => returnWorkflowId(`${orderId}-R${n}`)),
      ]);
    await Promise.allSettled(ids.map((id) => ts.env.client.workflow.getHandle(id).terminate('test over')));
  }, 30_000);
  afterAll(() => ts.tearDown(), 30_000);

  /** Runs the order until `ready` answers its handle, then `body`, with a worker that stops after. */
  function withOrder<T>(
    ready: (order: OrderRequest, input: Partial<OrderWorkflowInput>) => Promise<WorkflowHandle>,
    body: (order: ReturnOrder) => Promise<T>,
    options: ReturnOrderOptions,
  ): Promise<T> {
    const { provider, fake } = createReturnFakes(clock, options.overrides);
    return ts.withWorker(fake.activities, async () => {
      const order = { ...ts.orderRequest(), ...options.order };
      started.push(order.orderId);
      const handle = await ready(order, options.input ?? {});
      const driver = new OrderDriver(ts.env.client);
      return body({ handle, orderId: order.orderId, provider, fake, driver });
    });
  }

  return {
    ts,
    clock,
    /** Runs the order to `confirmed`, then `body`. */
    withConfirmedOrder<T>(body: (order: ReturnOrder) => Promise<T>, options: ReturnOrderOptions = {}) {
      return withOrder(
        async (order, input) => {
          const handle = await ts.startOrder(order, input);
          await ts.waitForStatus(handle, 'confirmed');
          return handle;
        },
        body,
        options,
      );
    },
    /** Runs a one-parcel order to delivery (it completes and waits out its return window), then `body`. */
    withDeliveredOrder<T>(body: (order: ReturnOrder) => Promise<T>, options: ReturnOrderOptions = {}) {
      return withOrder((order, input) => runToDelivery(ts, ts.env.client, order, input), body, options);
    },
  };
}

/** How long a workflow ran, start to close (skipped time included). */
export async function lifetimeMs(handle: WorkflowHandle): Promise<number> {
  const { startTime, closeTime } = await handle.describe();
  return closeTime!.getTime() - startTime.getTime();
}
