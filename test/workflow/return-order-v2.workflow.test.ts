import type { WorkflowHandle } from '@temporalio/client';
import type { OrderActivities } from '../../activities';
import type { OrderView } from '../../src/domain/order-view';
import { fulfillmentWorkflowId } from '../../workflows/fulfillment.messages';
import { getOrderQuery, type OrderWorkflowInput } from '../../workflows/order.messages';
import { grantAppeasementUpdate, returnWorkflowId } from '../../workflows/return.messages';
import { createFakeOrderActivities } from './support/fake-order-activities';
import { requestReturn, receiveOneAtLyon } from './support/return-requests';
import { OrderDriver, waitForView } from './support/order-driver';
import { recordHistoryIfAsked } from './support/record-history';
import { createFakeProvider, termsWith } from './support/return-fakes';
import { waitUntilIdle } from './support/return-test-env';
import { TimeSkippingOrderEnv } from './support/time-skipping-env';

// The real v2 order with the returns plug-in, on the time-skipping server with in-memory activities: once
// delivered it completes, stays open for its 30-day return window (RMAs, appeasements), then ends.
const DAY_MS = 24 * 60 * 60 * 1000;
const ts = new TimeSkippingOrderEnv('return-order-v2');
const clock = () => ts.env.currentTimeMs();
const started: string[] = [];

beforeAll(() => ts.setUp(), 60_000);
afterEach(async () => {
  // Leftovers would wake up under the next test's worker when time is skipped.
  const ids = started
    .splice(0)
    .flatMap((orderId) => [
      `order:${orderId}`,
      fulfillmentWorkflowId(`${orderId}-F1`),
      ...[1, 2].map((n) => returnWorkflowId(`${orderId}-R${n}`)),
    ]);
  await Promise.allSettled(ids.map((id) => ts.env.client.workflow.getHandle(id).terminate('test over')));
}, 30_000);
afterAll(() => ts.tearDown(), 30_000);

interface Delivered {
  handle: WorkflowHandle;
  orderId: string;
  provider: ReturnType<typeof createFakeProvider>;
}

/** Runs an order of 2 × SKU-1 at 4500 to delivery (30-day window), then `body`; the worker stops after. */
async function withDeliveredOrder<T>(
  body: (order: Delivered) => Promise<T>,
  input: Partial<OrderWorkflowInput> = {},
  overrides: Partial<OrderActivities> = {},
): Promise<T> {
  const provider = createFakeProvider();
  const fake = createFakeOrderActivities(clock, {
    ...provider.overrides,
    readReturnTerms: termsWith(),
    ...overrides,
  });
  return ts.withWorker(fake.activities, async () => {
    const order = ts.orderRequest();
    started.push(order.orderId);
    const handle = await ts.startOrder(order, input);
    await ts.waitForStatus(handle, 'confirmed');
    await new OrderDriver(ts.env.client).shipAndDeliver(`${order.orderId}-F1`);
    await ts.waitForStatus(handle, 'completed');
    return body({ handle, orderId: order.orderId, provider });
  });
}

/** How long the order's workflow ran, start to close (skipped time included). */
async function lifetimeMs(handle: WorkflowHandle): Promise<number> {
  const { startTime, closeTime } = await handle.describe();
  return closeTime!.getTime() - startTime.getTime();
}

test('a delivered order stays open for its window: a store return is refunded once, and the order ends partially returned', async () => {
  await withDeliveredOrder(async ({ handle, orderId, provider }) => {
    const rma = await requestReturn(handle);
    expect(rma).toMatchObject({ rmaId: `${orderId}-R1`, status: 'awaiting_return' });
    await receiveOneAtLyon(ts.env.client, rma.rmaId);
    const returned = await waitForView(handle, (v) => v.payment.refundedMinor > 0);
    expect(returned.payment.refundedMinor).toBe(4500);
    expect(returned.status).toBe('partially_returned');
    expect(returned.lines[0]!.status).toBe('delivered');

    await waitUntilIdle(handle, ts.env.client.workflow.getHandle(returnWorkflowId(rma.rmaId)));
    const final = (await handle.result()) as OrderView;
    expect(final).toMatchObject({ status: 'partially_returned', payment: { refundedMinor: 4500 } });
    expect(final.returns).toEqual([expect.objectContaining({ rmaId: rma.rmaId, status: 'completed' })]);
    expect(provider.keys('refund')).toHaveLength(1);
    expect(await lifetimeMs(handle)).toBeGreaterThanOrEqual(30 * DAY_MS - 60_000);
    await recordHistoryIfAsked(handle, 'order-v2-return');
  });
}, 120_000);

test('an agent grants an appeasement on the completed order: refunded at once, on the timeline with the agent', async () => {
  await withDeliveredOrder(async ({ handle, provider }) => {
    const granted = await handle.executeUpdate(grantAppeasementUpdate, {
      args: [{ amountMinor: 1000, reasonCode: 'late_delivery', actor: 'agent:ann', role: 'agent' }],
    });
    expect(granted).toMatchObject({ refundedMinor: 1000, actor: 'agent:ann' });
    const view = await handle.query(getOrderQuery);
    expect(view.timeline.at(-1)).toMatchObject({ type: 'appeasement_granted', actor: 'agent:ann' });

    await waitUntilIdle(handle);
    const final = (await handle.result()) as OrderView;
    expect(final).toMatchObject({ status: 'completed', payment: { refundedMinor: 1000 } });
    expect(provider.total('refund')).toBe(1000);
    await recordHistoryIfAsked(handle, 'order-v2-appeasement');
  });
}, 120_000);

test('with no return window (OMS_RETURN_WINDOW_DAYS=0) a completed order closes at once', async () => {
  const noWindow: OrderActivities['readReturnTerms'] = async (input) => {
    const terms = await termsWith()(input);
    return { ...terms, policy: { ...terms.policy, windowDays: 0 } };
  };
  await withDeliveredOrder(
    async ({ handle }) => {
      const final = (await handle.result()) as OrderView;
      expect(final.status).toBe('completed');
      expect(await lifetimeMs(handle)).toBeLessThan(DAY_MS);
    },
    {},
    { readReturnTerms: noWindow },
  );
}, 120_000);
