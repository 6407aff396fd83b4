import type { OrderView } from '../../src/domain/order-view';
import { getOrderQuery } from '../../workflows/order.messages';
import { grantAppeasementUpdate, returnWorkflowId } from '../../workflows/return.messages';
import { requestReturn, receiveOneAtLyon } from './support/return-requests';
import { waitForView } from './support/order-driver';
import { recordHistoryIfAsked } from './support/record-history';
import { termsWith } from './support/return-fakes';
import { DAY_MS, lifetimeMs, returnOrderSuite } from './support/return-order-suite';
import { waitUntilIdle } from './support/return-test-env';

// The real v2 order with the returns plug-in, on the time-skipping server with in-memory activities: once
// delivered it completes, stays open for its 30-day return window (RMAs, appeasements), then ends.
const suite = returnOrderSuite('return-order-v2');
const { ts } = suite;

test('a delivered order stays open for its window: a store return is refunded once, and the order ends partially returned', async () => {
  await suite.withDeliveredOrder(async ({ handle, orderId, provider }) => {
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
  await suite.withDeliveredOrder(async ({ handle, provider }) => {
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
  await suite.withDeliveredOrder(
    async ({ handle }) => {
      const final = (await handle.result()) as OrderView;
      expect(final.status).toBe('completed');
      expect(await lifetimeMs(handle)).toBeLessThan(DAY_MS);
    },
    { overrides: { readReturnTerms: termsWith({}, { windowDays: 0 }) } },
  );
}, 120_000);
