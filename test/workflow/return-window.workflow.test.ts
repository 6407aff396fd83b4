import { requestReturnUpdate } from '../../workflows/return.messages';
import { createFakeOrderActivities } from './support/fake-order-activities';
import { createFakeProvider, termsWith } from './support/return-fakes';
import { ReturnTestEnv } from './support/return-test-env';

// The order's own return window on a time-skipping server of its own: the order closes when the last
// delivered unit's window has passed and no RMA is open, not before.
const DAY_MS = 24 * 60 * 60 * 1000;
const env = new ReturnTestEnv('return-window');
const clock = () => env.now();

beforeAll(() => env.setUp(), 120_000);
afterEach(() => env.cleanUp(), 30_000);
afterAll(() => env.tearDown(), 30_000);

test('the order stays open until its return window has passed and no RMA is open', async () => {
  const fake = createFakeOrderActivities(clock, {
    ...createFakeProvider().overrides,
    readReturnTerms: termsWith(),
  });
  await env.withWorker(fake.activities, async () => {
    const order = await env.startOrder({ order: env.order() });
    await env.idle(order);
    const view = await order.result();
    expect(view.status).toBe('completed');
    const { startTime, closeTime } = await order.describe();
    const waited = closeTime!.getTime() - startTime.getTime();
    expect(waited).toBeGreaterThanOrEqual(30 * DAY_MS - 60_000);
    expect(waited).toBeLessThan(31 * DAY_MS);
  });
});

test('an RMA still open when the window passes keeps the order open until the RMA ends', async () => {
  const fake = createFakeOrderActivities(clock, {
    ...createFakeProvider().overrides,
    readReturnTerms: termsWith(),
  });
  await env.withWorker(fake.activities, async () => {
    // Delivered 20 days ago: the window closes in 10 days, the RMA opened now expires in 30.
    const order = await env.startOrder({ order: env.order(), deliveredDaysAgo: 20 });
    const rma = await order.executeUpdate(requestReturnUpdate, {
      args: [
        {
          lines: [{ lineId: 'l1', quantity: 1, reason: 'wrong_size' }],
          method: 'mail',
          actor: 'channel:web',
        },
      ],
    });
    await env.idle(order, env.rma(rma.rmaId));
    const view = await order.result();
    expect(view.returns).toEqual([expect.objectContaining({ rmaId: rma.rmaId, status: 'expired' })]);
    const { startTime, closeTime } = await order.describe();
    expect(closeTime!.getTime() - startTime.getTime()).toBeGreaterThanOrEqual(30 * DAY_MS - 60_000);
  });
});
