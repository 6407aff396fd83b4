import type { WorkflowHandle } from '@temporalio/client';
import type { OrderView } from '../../src/domain/order-view';
import type { ReturnView } from '../../src/domain/returns/return-view';
import { RETURN_PROBLEM_TYPES, RETURN_REJECTIONS } from '../../src/domain/returns/return-rejections';
import { returnWorkflowId } from '../../workflows/return.messages';
import type { ActivityCall } from './support/fake-order-activities';
import { refusalOf, requestReturn } from './support/return-requests';
import { termsWith } from './support/return-fakes';
import { DAY_MS, lifetimeMs, returnOrderSuite, type ReturnOrder } from './support/return-order-suite';
import { waitUntilIdle } from './support/return-test-env';

// The real v2 order with the returns plug-in, on the time-skipping server: an RMA whose parcel never comes
// expires after 30 days (an instant refund is charged back), and a VIP customer's longer window.
const suite = returnOrderSuite('return-order-v2-expiry');
const { ts } = suite;

/** Waits for the RMA to end (its 30-day expiry skipped), then for the order to end; answers both views. */
async function waitForBothToEnd(handle: WorkflowHandle, rmaId: string) {
  const rma = ts.env.client.workflow.getHandle(returnWorkflowId(rmaId));
  await waitUntilIdle(handle, rma);
  const returned = (await rma.result()) as ReturnView;
  await waitUntilIdle(handle);
  const order = (await handle.result()) as OrderView;
  return { rma: returned, order, rmaLifetimeMs: await lifetimeMs(rma) };
}

/** The idempotency keys of one activity's attempts that belong to this RMA, in the order they ran. */
const keysOf = (calls: ActivityCall[], rmaId: string): string[] =>
  calls
    .map((call) => (call.input as { idempotencyKey?: string }).idempotencyKey ?? '')
    .filter((key) => key.includes(`:${rmaId}:`));

/** The customer notifications the RMA asked for, by event. */
const notificationsOf = (order: ReturnOrder, rmaId: string) =>
  order.fake
    .callsTo('enqueueNotification')
    .map((call) => call.input as { event: string; data: Record<string, unknown> })
    .filter((n) => n.data.rmaId === rmaId);

test('a mail return whose parcel never arrives expires after 30 days: the customer is told, nothing is refunded, and the order ends completed with the unit not returned', async () => {
  await suite.withDeliveredOrder(async (order) => {
    const { handle, provider, fake } = order;
    const rma = await requestReturn(handle, { method: 'mail' });
    expect(rma).toMatchObject({
      status: 'awaiting_return',
      label: { trackingNumber: `TRK-${rma.rmaId}-RL` },
    });

    const ended = await waitForBothToEnd(handle, rma.rmaId);
    expect(ended.rma).toMatchObject({ status: 'expired', refund: { refundedMinor: 0, chargedMinor: 0 } });
    expect(ended.rmaLifetimeMs).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(ended.rmaLifetimeMs).toBeLessThan(31 * DAY_MS);
    expect(notificationsOf(order, rma.rmaId).map((n) => n.event)).toEqual([
      'return_created',
      'return_expired',
    ]);
    expect(fake.callsTo('refundPayment')).toHaveLength(0);
    expect(provider.keys('refund')).toEqual([]);
    expect(ended.order).toMatchObject({
      status: 'completed',
      payment: { capturedMinor: 9000, refundedMinor: 0 },
    });
    expect(ended.order.lines.map((l) => l.status)).toEqual(['delivered']);
    expect(ended.order.returns).toEqual([expect.objectContaining({ rmaId: rma.rmaId, status: 'expired' })]);
    expect(ended.order.timeline.map((e) => e.type)).toContain('return_expired');
  });
}, 120_000);

test('a trusted customer is refunded at once; when the parcel never arrives that refund is charged back exactly once', async () => {
  await suite.withDeliveredOrder(
    async (order) => {
      const { handle, provider, fake } = order;
      const rma = await requestReturn(handle, { method: 'mail' });
      expect(rma.refund).toMatchObject({ instant: true, refundedMinor: 4500, chargedMinor: 0 });

      const ended = await waitForBothToEnd(handle, rma.rmaId);
      expect(ended.rma).toMatchObject({
        status: 'expired',
        refund: { refundedMinor: 4500, chargedMinor: 4500 },
      });
      expect(keysOf(fake.callsTo('refundPayment'), rma.rmaId)).toEqual([`refund:${rma.rmaId}:instant:0`]);
      expect(keysOf(fake.callsTo('authorizePayment'), rma.rmaId)).toEqual([`auth:${rma.rmaId}:s1`]);
      expect(keysOf(fake.callsTo('capturePayment'), rma.rmaId)).toEqual([`capture:${rma.rmaId}:s1`]);
      expect(provider.moved.get(`refund:${rma.rmaId}:instant:0`)?.amountMinor).toBe(4500);
      expect(provider.moved.get(`capture:${rma.rmaId}:s1`)?.amountMinor).toBe(4500);
      expect(notificationsOf(order, rma.rmaId).find((n) => n.event === 'return_expired')?.data).toMatchObject(
        {
          chargedMinor: 4500,
        },
      );
      // The order's account: 9000 captured for the parcel, 4500 refunded and 4500 charged back.
      expect(ended.order).toMatchObject({
        status: 'completed',
        payment: { capturedMinor: 9000 + 4500, refundedMinor: 4500 },
      });
      expect(ended.order.timeline.map((e) => e.type)).toEqual(
        expect.arrayContaining(['return_refunded', 'return_charged', 'return_expired']),
      );
    },
    { overrides: { readReturnTerms: termsWith({ trustedReturns: true }) } },
  );
}, 120_000);

/** Two coats at the standard 30-day window and a scarf returnable for 90 days: the order stays open past day 40. */
const COATS_AND_LONG_SCARF = {
  lines: [
    { lineId: 'l1', sku: 'SKU-1', quantity: 2, unitPriceMinor: 4500 },
    { lineId: 'l2', sku: 'SCARF-LONG', quantity: 1, unitPriceMinor: 3000 },
  ],
};

/** Delivers the coats-and-scarf order to a customer of this tier (VIP window 60 days), skips to day 40, asks. */
function askOnDay40<T>(tier: 'standard' | 'vip', ask: (handle: WorkflowHandle) => Promise<T>): Promise<T> {
  return suite.withDeliveredOrder(
    async ({ handle }) => {
      await waitUntilIdle(handle);
      await ts.env.sleep(40 * DAY_MS);
      return ask(handle);
    },
    {
      order: COATS_AND_LONG_SCARF,
      overrides: { readReturnTerms: termsWith({ tier }, { vipWindowDays: 60 }) },
    },
  );
}

test('on day 40 a VIP customer may still return a coat: the VIP window (60 days) outlasts the standard 30', async () => {
  const rma = await askOnDay40('vip', (handle) => requestReturn(handle));
  expect(rma).toMatchObject({ status: 'awaiting_return', lines: [{ lineId: 'l1', quantity: 1 }] });
}, 120_000);

test('on day 40 a standard customer is refused the coat as past its 30-day window (409 return-window-closed), while the 90-day scarf may still come back', async () => {
  await askOnDay40('standard', async (handle) => {
    const refusal = await refusalOf(requestReturn(handle));
    expect(refusal.type).toBe(RETURN_REJECTIONS.windowClosed);
    expect(RETURN_PROBLEM_TYPES[refusal.type!]).toBe('return-window-closed');
    expect(refusal.message).toContain('within 30 days of delivery');
    const scarf = await requestReturn(handle, { lines: [{ lineId: 'l2', quantity: 1, reason: 'x' }] });
    expect(scarf.status).toBe('awaiting_return');
  });
}, 120_000);
