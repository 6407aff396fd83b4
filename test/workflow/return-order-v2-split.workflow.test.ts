import type { OrderView } from '../../src/domain/order-view';
import type { ReturnView } from '../../src/domain/returns/return-view';
import { RETURN_PROBLEM_TYPES, RETURN_REJECTIONS } from '../../src/domain/returns/return-rejections';
import { getOrderQuery } from '../../workflows/order.messages';
import { returnWorkflowId } from '../../workflows/return.messages';
import { waitForView } from './support/order-driver';
import { splitPlan } from './support/order-plans';
import { receiveOneAtLyon, refusalOf, requestReturn } from './support/return-requests';
import { DAY_MS, lifetimeMs, returnOrderSuite, type ReturnOrder } from './support/return-order-suite';
import { waitUntilIdle } from './support/return-test-env';

// The real v2 order split over two nodes, on the time-skipping server: the Lyon parcel (two coats) has reached
// the customer while the Paris parcel (a bag) is still on its way.
const suite = returnOrderSuite('return-order-v2-split');

interface SplitInTransit extends ReturnOrder {
  lyon: string;
  paris: string;
  parisTracking: string;
}

/** Two coats at 4500 from Lyon (delivered) and a bag at 9000 from Paris (in transit), then `body`. */
function withLyonDeliveredParisInTransit<T>(body: (order: SplitInTransit) => Promise<T>): Promise<T> {
  return suite.withConfirmedOrder(
    async (order) => {
      const { handle, driver } = order;
      const confirmed = await handle.query(getOrderQuery);
      const partAt = (nodeId: string) =>
        confirmed.fulfillments.find((f) => f.nodeId === nodeId)!.fulfillmentId;
      const [lyon, paris] = [partAt('WH-LYON'), partAt('WH-PARIS')];
      await driver.shipAndDeliver(lyon);
      const parisTracking = (await driver.ship(paris)).trackingNumber;
      await driver.track(paris, parisTracking, 'in_transit');
      const statusOf = (view: OrderView, id: string) =>
        view.fulfillments.find((f) => f.fulfillmentId === id)?.status;
      await waitForView(
        handle,
        (view) => statusOf(view, lyon) === 'delivered' && statusOf(view, paris) === 'in_transit',
      );
      return body({ ...order, lyon, paris, parisTracking });
    },
    {
      order: {
        lines: [
          { lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPriceMinor: 4500 },
          { lineId: 'l2', sku: 'BAG-1', quantity: 1, unitPriceMinor: 9000 },
        ],
      },
      overrides: { planSourcing: (input) => Promise.resolve(splitPlan(input, { l2: 'WH-PARIS' })) },
    },
  );
}

test('on an order split over two nodes, a coat of the delivered part is refunded once at receipt; once the other part arrives the order ends partially returned, its money adding up', async () => {
  await withLyonDeliveredParisInTransit(async ({ handle, provider, driver, lyon, paris, parisTracking }) => {
    const rma = await requestReturn(handle);
    expect(rma).toMatchObject({ status: 'awaiting_return', lines: [{ lineId: 'l1', quantity: 1 }] });
    await receiveOneAtLyon(suite.ts.env.client, rma.rmaId);
    const refunded = await waitForView(handle, (view) => view.payment.refundedMinor > 0);
    expect(refunded.payment.refundedMinor).toBe(4500);
    // While the bag travels the status is the order's; the return shows once it closes.
    expect(refunded.status).toBe('shipped');

    await driver.track(paris, parisTracking, 'delivered');
    const closed = await waitForView(handle, (view) => view.status === 'partially_returned');
    expect(closed.lines.map((l) => l.status)).toEqual(['delivered', 'delivered']);

    const rmaHandle = suite.ts.env.client.workflow.getHandle(returnWorkflowId(rma.rmaId));
    await waitUntilIdle(handle, rmaHandle);
    const final = (await handle.result()) as OrderView;
    expect(final).toMatchObject({
      status: 'partially_returned',
      payment: { capturedMinor: 2 * 4500 + 9000, refundedMinor: 4500 },
    });
    // What the customer paid in the end is what they keep: a coat and the bag.
    expect(final.payment.capturedMinor - final.payment.refundedMinor).toBe(4500 + 9000);
    expect(provider.keys('refund')).toEqual([`refund:${rma.rmaId}:s1:0`]);
    expect(provider.total('capture')).toBe(2 * 4500 + 9000);
    const completed = (await rmaHandle.result()) as ReturnView;
    expect(completed).toMatchObject({ status: 'completed', refund: { refundedMinor: 4500 } });
    expect(completed.payments).toEqual([expect.objectContaining({ kind: 'refund', fulfillmentId: lyon })]);
    // Open until the bag's window passed: 30 days after the Paris delivery.
    expect(await lifetimeMs(handle)).toBeGreaterThanOrEqual(30 * DAY_MS);
  });
}, 120_000);

test('on an order split over two nodes, the bag still in transit may not be returned yet (409 not-delivered)', async () => {
  await withLyonDeliveredParisInTransit(async ({ handle }) => {
    const refusal = await refusalOf(
      requestReturn(handle, { lines: [{ lineId: 'l2', quantity: 1, reason: 'changed_mind' }] }),
    );
    expect(refusal.type).toBe(RETURN_REJECTIONS.notDelivered);
    expect(RETURN_PROBLEM_TYPES[refusal.type!]).toBe('not-delivered');
    expect(refusal.message).toContain('Line l2');
    expect(refusal.message).toContain('0 units delivered');
    expect((await handle.query(getOrderQuery)).returns).toEqual([]);
  });
}, 120_000);
