import type { WorkflowHandle } from '@temporalio/client';
import type { OrderView } from '../../src/domain/order-view';
import { RETURN_REJECTIONS } from '../../src/domain/returns/return-rejections';
import type { ReceiptLine, ReturnView } from '../../src/domain/returns/return-view';
import { getOrderQuery } from '../../workflows/order.messages';
import {
  getReturnQuery,
  grantAppeasementUpdate,
  receiveReturnUpdate,
  returnCarrierEventSignal,
  type GrantAppeasementRequest,
} from '../../workflows/return.messages';
import { refusalOf, requestReturn } from './support/return-requests';
import { termsWith } from './support/return-fakes';
import { waitFor } from './support/fulfillment-test-env';
import { returnTestEnvAroundFile } from './support/return-test-env';
import { DAY_MS } from './support/return-order-suite';

// The returns plug-in under a stand-in order and the RMA child, on the time-skipping server: a 30-day
// expiry passes in about a second.
const env = returnTestEnvAroundFile('returns');

const receive = (
  rmaId: string,
  lines: ReceiptLine[] = [{ lineId: 'l1', quantity: 1, condition: 'sellable' }],
) =>
  env
    .rma(rmaId)
    .executeUpdate(receiveReturnUpdate, { args: [{ nodeId: 'ST-PARIS', lines, actor: 'agent:desk' }] });

/** The ApplicationFailure type a refused Update carried. */
const refusalTypeOf = async (request: Promise<unknown>) => (await refusalOf(request)).type;

const orderView = (order: WorkflowHandle): Promise<OrderView> => order.query(getOrderQuery);

test('a delivered unit is returned in store: restocked at the receiving node, refunded once, the order partially returned', async () => {
  await env.withFakes(termsWith(), async ({ provider, fake }) => {
    const order = await env.startOrder({ order: env.order() });
    const rma = await requestReturn(order);
    expect(rma).toMatchObject({
      status: 'awaiting_return',
      method: 'store',
      lines: [{ lineId: 'l1', quantity: 1, unitPriceMinor: 4500 }],
    });
    expect(rma.rmaId).toMatch(/-R1$/);

    const received = await receive(rma.rmaId);
    expect(received.status).toBe('received');
    expect(fake.callsTo('restockReturnedUnits').map((c) => c.input)).toEqual([
      { rmaId: rma.rmaId, nodeId: 'ST-PARIS', lines: [{ lineId: 'l1', sku: 'COAT-RED-M', quantity: 1 }] },
    ]);
    expect(received.dispositions).toHaveLength(1);

    const done = await env.waitForReturnStatus(rma.rmaId, 'completed');
    expect(done.refund).toMatchObject({ refundedMinor: 4500, chargedMinor: 0 });
    expect(provider.keys('refund')).toEqual([`refund:${rma.rmaId}:s1:0`]);
    await waitFor(async () => (await orderView(order)).status === 'partially_returned');
    const view = await orderView(order);
    expect(view.payment.refundedMinor).toBe(4500);
    expect(view.returns).toEqual([expect.objectContaining({ rmaId: rma.rmaId, status: 'completed' })]);
    expect(view.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['return_requested', 'return_refunded', 'partially_returned']),
    );
  });
});

test('damaged units are not restocked but still refunded; everything back makes the order returned', async () => {
  await env.withFakes(termsWith(), async ({ provider, fake }) => {
    const order = await env.startOrder({ order: env.order() });
    const rma = await requestReturn(order, {
      lines: [
        { lineId: 'l1', quantity: 2, reason: 'defective' },
        { lineId: 'l2', quantity: 1, reason: 'changed_mind' },
      ],
    });
    await receive(rma.rmaId, [
      { lineId: 'l1', quantity: 1, condition: 'sellable' },
      { lineId: 'l1', quantity: 1, condition: 'damaged' },
      { lineId: 'l2', quantity: 1, condition: 'damaged' },
    ]);
    expect(fake.callsTo('recordDamagedUnits').map((c) => c.input)).toEqual([
      {
        rmaId: rma.rmaId,
        nodeId: 'ST-PARIS',
        lines: [
          { lineId: 'l1', sku: 'COAT-RED-M', quantity: 1 },
          { lineId: 'l2', sku: 'SKU-B', quantity: 1 },
        ],
      },
    ]);
    await env.waitForReturnStatus(rma.rmaId, 'completed');
    await waitFor(async () => (await orderView(order)).status === 'returned');
    const view = await orderView(order);
    expect(view.lines.map((l) => l.status)).toEqual(['returned', 'returned']);
    expect(view.payment.refundedMinor).toBe(18000);
    expect(provider.total('refund')).toBe(18000);
  });
});

test('units not delivered, already under an RMA, or past their window are refused with the reason', async () => {
  await env.withFakes(termsWith(), async () => {
    const shipped = await env.startOrder({ order: env.order(), fulfillmentStatus: 'in_transit' });
    expect(await refusalTypeOf(requestReturn(shipped))).toBe(RETURN_REJECTIONS.notDelivered);

    // Delivered 20 days ago: the coat (30 days) may come back, SKU-B (its own 14 days) may not.
    const order = await env.startOrder({ order: env.order(), deliveredDaysAgo: 20 });
    expect(
      await refusalTypeOf(requestReturn(order, { lines: [{ lineId: 'l2', quantity: 1, reason: 'x' }] })),
    ).toBe(RETURN_REJECTIONS.windowClosed);
    await requestReturn(order, { lines: [{ lineId: 'l1', quantity: 2, reason: 'x' }] });
    expect(await refusalTypeOf(requestReturn(order))).toBe(RETURN_REJECTIONS.alreadyReturned);
    expect(
      await refusalTypeOf(requestReturn(order, { lines: [{ lineId: 'nope', quantity: 1, reason: 'x' }] })),
    ).toBe(RETURN_REJECTIONS.invalidRequest);
  });
});

test('a VIP customer may return after the standard window when a VIP window is configured', async () => {
  await env.withFakes(termsWith({ tier: 'vip' }, { vipWindowDays: 60 }), async () => {
    const order = await env.startOrder({ order: env.order(), deliveredDaysAgo: 40 });
    const rma = await requestReturn(order, { lines: [{ lineId: 'l2', quantity: 1, reason: 'x' }] });
    expect(rma.status).toBe('awaiting_return');
  });
});

test('a mail return gets a label; nothing arrives within 30 days: it expires, the customer is told, the units may be asked for again', async () => {
  await env.withFakes(termsWith({}, { windowDays: 45 }), async ({ fake }) => {
    const order = await env.startOrder({ order: env.order() });
    const createdAt = await env.now();
    const rma = await requestReturn(order, { method: 'mail' });
    expect(rma.label).toEqual({
      carrier: 'SIMCARRIER',
      trackingNumber: `TRK-${rma.rmaId}-RL`,
      labelUrl: `https://labels.test/${rma.rmaId}`,
      nodeId: 'WH-LYON',
    });
    await env.idle(order, env.rma(rma.rmaId));
    const expired = (await env.rma(rma.rmaId).result()) as ReturnView;
    expect(expired.status).toBe('expired');
    expect((await env.now()) - createdAt).toBeGreaterThanOrEqual(30 * DAY_MS);
    const events = fake.callsTo('enqueueNotification').map((c) => (c.input as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(['return_created', 'return_expired']));
    expect(fake.callsTo('refundPayment')).toHaveLength(0);
    await waitFor(async () =>
      (await orderView(order)).returns.some((r) => (r as ReturnView).status === 'expired'),
    );
    // The order itself is still open: day 30 of a 45-day window.
    expect((await requestReturn(order)).rmaId).toMatch(/-R2$/);
  });
});

test('once the carrier has the return parcel the RMA no longer expires, and the receipt completes it', async () => {
  await env.withFakes(termsWith(), async () => {
    const order = await env.startOrder({ order: env.order() });
    const rma = await requestReturn(order, { method: 'locker' });
    await env.rma(rma.rmaId).signal(returnCarrierEventSignal, {
      trackingNumber: rma.label!.trackingNumber,
      fulfillmentId: `${rma.rmaId}-RL`,
      event: 'in_transit',
      at: new Date().toISOString(),
    });
    await env.waitForReturnStatus(rma.rmaId, 'in_transit');
    await env.idle(order, env.rma(rma.rmaId));
    await env.ts.env.sleep(40 * DAY_MS);
    expect((await env.rma(rma.rmaId).query(getReturnQuery)).status).toBe('in_transit');
    await receive(rma.rmaId);
    await env.idle(order, env.rma(rma.rmaId));
    expect(((await env.rma(rma.rmaId).result()) as ReturnView).status).toBe('completed');
  });
});

test('a trusted customer is refunded at creation; when the parcel never arrives the refund is charged back', async () => {
  await env.withFakes(termsWith({ trustedReturns: true }), async ({ provider }) => {
    const order = await env.startOrder({ order: env.order() });
    const rma = await requestReturn(order, { method: 'mail' });
    expect(rma.refund).toMatchObject({ instant: true, refundedMinor: 4500 });
    expect(provider.keys('refund')).toEqual([`refund:${rma.rmaId}:instant:0`]);

    await env.idle(order, env.rma(rma.rmaId));
    const expired = (await env.rma(rma.rmaId).result()) as ReturnView;
    expect(expired).toMatchObject({ status: 'expired', refund: { refundedMinor: 4500, chargedMinor: 4500 } });
    expect(provider.keys('authorize')).toContain(`auth:${rma.rmaId}:s1`);
    expect(provider.keys('capture')).toContain(`capture:${rma.rmaId}:s1`);
    await waitFor(async () => (await orderView(order)).payment.capturedMinor === 18000 + 4500);
    expect((await orderView(order)).payment.refundedMinor).toBe(4500);
  });
});

test('a trusted customer whose parcel arrives keeps the instant refund: no second refund', async () => {
  await env.withFakes(termsWith({ trustedReturns: true }), async ({ provider }) => {
    const order = await env.startOrder({ order: env.order() });
    const rma = await requestReturn(order);
    await receive(rma.rmaId);
    await env.idle(order, env.rma(rma.rmaId));
    expect(((await env.rma(rma.rmaId).result()) as ReturnView).refund).toMatchObject({
      refundedMinor: 4500,
      chargedMinor: 0,
    });
    expect(provider.keys('refund')).toEqual([`refund:${rma.rmaId}:instant:0`]);
  });
});

test('a receipt sent twice at once is taken once: one restock, one refund', async () => {
  await env.withFakes(termsWith(), async ({ fake }) => {
    const order = await env.startOrder({ order: env.order() });
    const rma = await requestReturn(order);
    const answers = await Promise.allSettled([receive(rma.rmaId), receive(rma.rmaId), receive(rma.rmaId)]);
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status === 'rejected'))
      expect(await refusalTypeOf(Promise.reject((answer as PromiseRejectedResult).reason))).toBe(
        RETURN_REJECTIONS.alreadyReceived,
      );
    expect(await refusalTypeOf(receive(rma.rmaId))).toBe(RETURN_REJECTIONS.alreadyReceived);
    await env.waitForReturnStatus(rma.rmaId, 'completed');
    expect(fake.callsTo('restockReturnedUnits')).toHaveLength(1);
    expect(fake.callsTo('refundPayment')).toHaveLength(1);
  });
});

test('an exchange for a dearer size charges the difference and reserves the replacement; the receipt ships it', async () => {
  await env.withFakes(termsWith(), async ({ provider, fake }) => {
    const order = await env.startOrder({ order: env.order() });
    const rma = await requestReturn(order, { exchange: { lines: [{ lineId: 'l1', sku: 'COAT-BLUE-L' }] } });
    expect(rma.exchange).toMatchObject({ status: 'reserved', differenceMinor: 1000, nodeId: 'WH-LYON' });
    expect(rma.refund.chargedMinor).toBe(1000);
    expect(fake.callsTo('reserveOrderAtNode').map((c) => c.input)).toEqual([
      expect.objectContaining({
        lines: [{ key: `${rma.rmaId}:l1:WH-LYON`, sku: 'COAT-BLUE-L', quantity: 1 }],
      }),
    ]);
    expect(
      await refusalTypeOf(
        requestReturn(order, {
          lines: [{ lineId: 'l2', quantity: 1, reason: 'x' }],
          exchange: { lines: [{ lineId: 'l2', sku: 'COAT-BLUE-L' }] },
        }),
      ),
    ).toBe(RETURN_REJECTIONS.exchangeNotAllowed);

    await receive(rma.rmaId);
    const shipping = await env.waitForReturnStatus(rma.rmaId, 'received');
    await waitFor(
      async () => (await env.rma(rma.rmaId).query(getReturnQuery)).exchange?.status === 'shipping',
    );
    expect(fake.callsTo('recordFulfillment').map((c) => c.input)).toEqual([
      expect.objectContaining({
        fulfillmentId: `${rma.rmaId}-X1`,
        workflowId: `fulfillment:${rma.rmaId}-X1`,
      }),
    ]);
    expect(shipping.rmaId).toBe(rma.rmaId);
    expect(provider.keys('refund')).toEqual([]);
  });
});

test('a VIP exchange ships the replacement at once, before the return arrives', async () => {
  await env.withFakes(termsWith({ tier: 'vip' }), async ({ fake }) => {
    const order = await env.startOrder({ order: env.order() });
    const rma = await requestReturn(order, { exchange: { lines: [{ lineId: 'l1', sku: 'COAT-BLUE-L' }] } });
    expect(rma.exchange).toMatchObject({ status: 'shipping', fulfillmentId: `${rma.rmaId}-X1` });
    expect(rma.status).toBe('awaiting_return');
    expect(fake.callsTo('recordFulfillment')).toHaveLength(1);
  });
});

test('an agent grants an appeasement within the role cap, refunded at once and on the timeline; above the cap or the captured money is refused', async () => {
  const grant = (order: WorkflowHandle, request: Partial<GrantAppeasementRequest>) =>
    order.executeUpdate(grantAppeasementUpdate, {
      args: [
        { amountMinor: 1000, reasonCode: 'late_delivery', actor: 'agent:desk-7', role: 'agent', ...request },
      ],
    });
  await env.withFakes(termsWith(), async ({ provider }) => {
    const order = await env.startOrder({ order: env.order() });
    const granted = await grant(order, {});
    expect(granted).toMatchObject({
      appeasementId: expect.stringMatching(/-A1$/),
      refundedMinor: 1000,
      actor: 'agent:desk-7',
    });
    expect(await refusalTypeOf(grant(order, { amountMinor: 5001 }))).toBe(RETURN_REJECTIONS.aboveCap);
    expect(await refusalTypeOf(grant(order, { role: 'channel' }))).toBe(
      RETURN_REJECTIONS.appeasementNotAllowed,
    );
    expect(await refusalTypeOf(grant(order, { amountMinor: 17500, role: 'admin' }))).toBe(
      RETURN_REJECTIONS.aboveRefundable,
    );
    await grant(order, { amountMinor: 3000, lineId: 'l2', reasonCode: 'damaged_item' });
    const view = await orderView(order);
    expect(view.payment.refundedMinor).toBe(4000);
    expect(provider.keys('refund')).toEqual([`refund:${view.orderId}-A1:0`, `refund:${view.orderId}-A2:0`]);
    expect(view.timeline.filter((e) => e.type === 'appeasement_granted').map((e) => e.actor)).toEqual([
      'agent:desk-7',
      'agent:desk-7',
    ]);
    expect(view.appeasements).toHaveLength(2);
  });
});
