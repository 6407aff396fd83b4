import { termsWith } from './support/return-fakes';
import { returnTestEnvAroundFile } from './support/return-test-env';
import { DAY_MS, lifetimeMs } from './support/return-order-suite';
import { requestReturn } from './support/return-requests';

// The order's own return window on a time-skipping server of its own: the order closes when the last
// delivered unit's window has passed and no RMA is open, not before.
const env = returnTestEnvAroundFile('return-window');

test('the order stays open until its return window has passed and no RMA is open', async () => {
  await env.withFakes(termsWith(), async () => {
    const order = await env.startOrder({ order: env.order() });
    await env.idle(order);
    const view = await order.result();
    expect(view.status).toBe('completed');
    const waited = await lifetimeMs(order);
    expect(waited).toBeGreaterThanOrEqual(30 * DAY_MS - 60_000);
    expect(waited).toBeLessThan(31 * DAY_MS);
  });
});

test('an RMA still open when the window passes keeps the order open until the RMA ends', async () => {
  await env.withFakes(termsWith(), async () => {
    // Delivered 20 days ago: the window closes in 10 days, the RMA opened now expires in 30.
    const order = await env.startOrder({ order: env.order(), deliveredDaysAgo: 20 });
    const rma = await requestReturn(order, { method: 'mail' });
    await env.idle(order, env.rma(rma.rmaId));
    const view = await order.result();
    expect(view.returns).toEqual([expect.objectContaining({ rmaId: rma.rmaId, status: 'expired' })]);
    expect(await lifetimeMs(order)).toBeGreaterThanOrEqual(30 * DAY_MS - 60_000);
  });
});
