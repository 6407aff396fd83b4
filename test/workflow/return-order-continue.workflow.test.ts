import type { WorkflowHandle } from '@temporalio/client';
import type { OrderActivities } from '../../activities';
import {
  fulfillmentChangedSignal,
  getOrderQuery,
  type OrderWorkflowInput,
} from '../../workflows/order.messages';
import { grantAppeasementUpdate } from '../../workflows/return.messages';
import { createFakeOrderActivities } from './support/fake-order-activities';
import { requestReturn, receiveOneAtLyon } from './support/return-requests';
import { waitForView } from './support/order-driver';
import { runToDelivery } from './support/return-order-suite';
import { OrderTestEnv } from './support/order-test-env';
import { createFakeProvider, termsWith } from './support/return-fakes';
import { waitUntilIdle } from './support/return-test-env';

// A v2 order waiting out its return window continues as new when its history grows (on the dev server, with
// in-memory activities): its returns, appeasements and money are carried, and its RMAs report to the new run.
const env = new OrderTestEnv('return-order-continue');
const clock = () => Promise.resolve(Date.now());

beforeAll(() => env.setUp(), 120_000);
afterAll(() => env.tearDown(), 60_000);

interface Delivered {
  handle: WorkflowHandle;
  orderId: string;
  provider: ReturnType<typeof createFakeProvider>;
}

/** Runs an order of 2 × SKU-1 at 4500 to delivery (30-day window), then `body`; the worker stops after. */
async function withDeliveredOrder<T>(
  body: (order: Delivered) => Promise<T>,
  input: Partial<OrderWorkflowInput> = {},
): Promise<T> {
  const provider = createFakeProvider();
  const fake = createFakeOrderActivities(clock, { ...provider.overrides, readReturnTerms: termsWith() });
  const worker = await env.startWorker({}, {}, fake.activities as Partial<OrderActivities>);
  try {
    const order = env.orderRequest('SKU-1');
    const handle = await runToDelivery(env, env.client, order, input);
    return await body({ handle, orderId: order.orderId, provider });
  } finally {
    await env.stopWorker(worker);
  }
}

test('an order waiting out its window continues as new when its history grows; its RMAs still report to it', async () => {
  await withDeliveredOrder(
    async ({ handle, orderId, provider }) => {
      const completedRun = (await handle.describe()).runId;
      // A late report of the delivered parcel: the closed order has nothing to do with it, and it must not
      // keep the order from continuing as new.
      const delivered = (await handle.query(getOrderQuery)).fulfillments[0]!;
      await handle.signal(fulfillmentChangedSignal, delivered);
      const rma = await requestReturn(handle, { method: 'mail' });
      expect(rma.label).toBeDefined();
      // Small goodwill credits until the history passes 80 events: the order continues as new at a quiet point.
      let credits = 0;
      do {
        await handle.executeUpdate(grantAppeasementUpdate, {
          args: [{ amountMinor: 100, reasonCode: 'goodwill', actor: 'agent:ann', role: 'agent' }],
        });
        credits += 1;
        await waitUntilIdle(handle);
      } while ((await handle.describe()).runId === completedRun && credits < 20);
      expect((await handle.describe()).runId).not.toBe(completedRun);
      const carried = await handle.query(getOrderQuery);
      expect(carried.returns).toEqual([expect.objectContaining({ rmaId: rma.rmaId })]);
      expect(carried.appeasements).toHaveLength(credits);
      expect(carried.payment.refundedMinor).toBe(credits * 100);

      await receiveOneAtLyon(env.client, rma.rmaId);
      const returned = await waitForView(handle, (v) => v.payment.refundedMinor === 4500 + credits * 100);
      expect(returned.status).toBe('partially_returned');
      expect(returned.timeline[0]).toMatchObject({ type: 'received' });
      const second = await requestReturn(handle);
      expect(second.rmaId).toBe(`${orderId}-R2`);
      await receiveOneAtLyon(env.client, second.rmaId);
      // Everything captured is back: the second refund is what the credits left of the captured money.
      await waitForView(handle, (v) => v.status === 'returned' && v.payment.refundedMinor === 9000);

      const final = await handle.query(getOrderQuery);
      expect(final.lines[0]!.status).toBe('returned');
      expect(provider.keys('refund')).toHaveLength(2 + credits);
      // The window lasts 30 days (the time-skipping test sees the order end): the test ends it here.
      await handle.terminate('test over');
    },
    { lifecycle: { continueAsNewAfterEvents: 80 } },
  );
}, 180_000);
