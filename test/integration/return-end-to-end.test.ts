import { readFileSync } from 'node:fs';
import type { LiveStack } from './support/live-stack';
import {
  eventually,
  expectStatus,
  fulfillmentAt,
  orderBody,
  paymentSummary,
  placeOrder,
  readOrder,
  readStock,
  reportCarrierEvent,
  seedProduct,
  shipFulfillment,
  waitForStatus,
} from './support/order-driver';
import { LYON_ADDRESS, LYON_NODE, startSeededStack } from './support/lifecycle-fixtures';

// Returns through the real stack (gateway over HTTP, worker, Temporal, MongoDB): an order delivered, a unit
// returned in a store, sellable there at once and refunded in the payment ledger; an exchange for a dearer
// product of the same family, the difference charged once.
//
// It needs the v2 order workflow to register the returns plug-in (workflows/returns/order-returns.ts, wiring
// in the README, "Returns and customer service"); until then it is skipped.
const WIRED = readFileSync(require.resolve('../../workflows/order/order-v2.workflow'), 'utf8').includes(
  'registerReturnHandlers',
);
const PRICE = 5200;
const DEARER = 6100;

/** A product returnable for 30 days whatever the stack's default window (tests run with none), stocked at Lyon. */
function seedReturnableProduct(stack: LiveStack, priceMinor: number, units: number): Promise<string> {
  return seedProduct(stack, priceMinor, { 'WH-LYON': units }, { returnWindowDays: 30 });
}

/** Places an order for `quantity` units of the SKU at PRICE, ships it from Lyon and has it delivered. */
async function deliveredOrder(stack: LiveStack, sku: string, quantity: number): Promise<string> {
  const orderId = await placeOrder(
    stack,
    orderBody([{ lineId: 'l1', sku, quantity, unitPriceMinor: PRICE }], LYON_ADDRESS),
  );
  const confirmed = await waitForStatus(stack, orderId, 'confirmed');
  const tracking = await shipFulfillment(stack, fulfillmentAt(confirmed, 'WH-LYON').fulfillmentId);
  await reportCarrierEvent(stack, tracking, 'delivered');
  await waitForStatus(stack, orderId, 'completed');
  return orderId;
}

/** Opens a store return of one unit of line l1; answers the RMA id. */
async function storeReturnOfOne(stack: LiveStack, orderId: string): Promise<string> {
  const created = expectStatus(
    await stack.call('POST', `/v1/orders/${orderId}/returns`, 'channel', {
      lines: [{ lineId: 'l1', quantity: 1, reason: 'wrong_size' }],
      method: 'store',
    }),
    201,
  );
  return created.body.rmaId as string;
}

const receiveOneAtLyonStore = (stack: LiveStack, rmaId: string) =>
  stack.call('POST', `/v1/returns/${rmaId}/receive`, 'node', {
    nodeId: 'ST-LYON',
    lines: [{ lineId: 'l1', quantity: 1, condition: 'sellable' }],
  });

/** Waits for the RMA to complete (its refund recorded). */
// A minute: after a worker restart the tasks sent to the stopped worker wait out their sticky timeout, and the
// machine running the suite is loaded.
const SETTLE_MS = 60_000;

const rmaCompleted = (stack: LiveStack, rmaId: string) =>
  eventually(
    `${rmaId} to complete`,
    async () => {
      const rma = expectStatus(await stack.call('GET', `/v1/returns/${rmaId}`, 'agent'), 200).body;
      return rma.status === 'completed' ? rma : undefined;
    },
    SETTLE_MS,
  );

/** Waits until the order's read model shows this much refunded (the RMA reports to the order after it settles). */
const orderRefunded = (stack: LiveStack, orderId: string, refundedMinor: number) =>
  eventually(
    `order ${orderId} to show ${refundedMinor} refunded`,
    async () => {
      const view = await readOrder(stack, orderId);
      return view.payment.refundedMinor === refundedMinor ? view : undefined;
    },
    SETTLE_MS,
  );

/** The provider's refund operations of one RMA. */
async function refundsOf(stack: LiveStack, orderId: string, rmaId: string) {
  const ledger = await paymentSummary(stack, orderId);
  return ledger.operations.filter((op) => op.operation === 'refund' && op.key.startsWith(`refund:${rmaId}:`));
}

(WIRED ? describe : describe.skip)('returns through the real stack', () => {
  let stack: LiveStack;
  let sku: string;
  let dearerSku: string;
  let orderId: string;

  beforeAll(async () => {
    stack = await startSeededStack(
      { name: 'returns', simulation: 'manual', backgroundLoops: true },
      LYON_NODE,
    );
    expectStatus(
      await stack.call('PUT', '/v1/nodes/ST-LYON', 'admin', {
        name: 'Lyon store',
        type: 'store',
        location: { lat: 45.76, lon: 4.83, postalCode: '69002', country: 'FR' },
        capabilities: ['pickup', 'return'],
      }),
      201,
    );
    sku = await seedReturnableProduct(stack, PRICE, 5);
    dearerSku = await seedReturnableProduct(stack, DEARER, 3);
    orderId = await deliveredOrder(stack, sku, 2);
  }, 120_000);

  afterAll(() => stack?.stop(), 60_000);

  test('a unit returned in a store is sellable there at once and refunded once in the payment ledger', async () => {
    const rmaId = await storeReturnOfOne(stack, orderId);
    expectStatus(await receiveOneAtLyonStore(stack, rmaId), 200);
    expect(await readStock(stack, sku, 'ST-LYON')).toMatchObject({ onHand: 1, available: 1 });
    const availability = expectStatus(await stack.call('GET', `/v1/availability?sku=${sku}`, 'channel'), 200);
    expect(availability.body.items[0].nodes).toEqual(
      expect.arrayContaining([{ nodeId: 'ST-LYON', available: 1 }]),
    );
    await rmaCompleted(stack, rmaId);
    expect(await paymentSummary(stack, orderId)).toMatchObject({ refundedMinor: PRICE, accountsAgree: true });
    const order = await orderRefunded(stack, orderId, PRICE);
    expect(order).toMatchObject({ status: 'partially_returned', payment: { refundedMinor: PRICE } });
  });

  test('an exchange for a dearer product of the family charges the difference once and ships the replacement', async () => {
    const created = expectStatus(
      await stack.call('POST', `/v1/orders/${orderId}/returns`, 'agent', {
        lines: [{ lineId: 'l1', quantity: 1, reason: 'wrong_colour' }],
        method: 'store',
        exchange: { lines: [{ lineId: 'l1', sku: dearerSku }] },
      }),
      201,
    );
    expect(created.body.exchange).toMatchObject({
      status: 'reserved',
      differenceMinor: DEARER - PRICE,
      nodeId: 'WH-LYON',
    });
    const rmaId = created.body.rmaId as string;
    expect(await readStock(stack, dearerSku, 'WH-LYON')).toMatchObject({ reserved: 1 });
    expectStatus(
      await stack.call('POST', `/v1/returns/${rmaId}/receive`, 'agent', {
        nodeId: 'ST-LYON',
        lines: [{ lineId: 'l1', quantity: 1, condition: 'sellable' }],
      }),
      200,
    );
    const replacement = `${rmaId}-X1`;
    await eventually('the replacement fulfilment', async () => {
      const answer = await stack.call('POST', `/v1/fulfillments/${replacement}/ship`, 'node');
      return answer.status === 200 ? answer : undefined;
    });
    expect(await readStock(stack, dearerSku, 'WH-LYON')).toMatchObject({ onHand: 2, reserved: 0 });
    const ledger = await paymentSummary(stack, orderId);
    expect(ledger.operations.filter((op) => op.key === `capture:${rmaId}:difference`)).toEqual([
      expect.objectContaining({ amountMinor: DEARER - PRICE }),
    ]);
    expect(ledger).toMatchObject({ refundedMinor: PRICE, accountsAgree: true });
  });

  test('a receipt sent twice at once is taken once: one unit back on hand, one refund', async () => {
    const once = await seedReturnableProduct(stack, PRICE, 2);
    const order = await deliveredOrder(stack, once, 1);
    const rmaId = await storeReturnOfOne(stack, order);
    const answers = await Promise.all([
      receiveOneAtLyonStore(stack, rmaId),
      receiveOneAtLyonStore(stack, rmaId),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    await rmaCompleted(stack, rmaId);
    expect(await readStock(stack, once, 'ST-LYON')).toMatchObject({ onHand: 1, available: 1 });
    expect(await refundsOf(stack, order, rmaId)).toEqual([expect.objectContaining({ amountMinor: PRICE })]);
    expect(await paymentSummary(stack, order)).toMatchObject({ refundedMinor: PRICE, accountsAgree: true });
  });

  test('the worker stops between the receipt and the refund: the next worker refunds, once', async () => {
    const restarted = await seedReturnableProduct(stack, PRICE, 2);
    const order = await deliveredOrder(stack, restarted, 1);
    const rmaId = await storeReturnOfOne(stack, order);
    expectStatus(await receiveOneAtLyonStore(stack, rmaId), 200);
    await stack.stopWorker();
    try {
      expect(await readStock(stack, restarted, 'ST-LYON')).toMatchObject({ onHand: 1, available: 1 });
    } finally {
      await stack.startWorker();
    }
    await rmaCompleted(stack, rmaId);
    expect(await refundsOf(stack, order, rmaId)).toEqual([expect.objectContaining({ amountMinor: PRICE })]);
    const view = await orderRefunded(stack, order, PRICE);
    expect(view).toMatchObject({ status: 'returned', payment: { refundedMinor: PRICE } });
    expect(await paymentSummary(stack, order)).toMatchObject({ refundedMinor: PRICE, accountsAgree: true });
  }, 150_000);

  test('customer service on a real order: endless aisle by an agent, every agent action on the timeline, the customer 360 and the search', async () => {
    const aisle = await seedReturnableProduct(stack, PRICE, 3);
    const body = orderBody([{ lineId: 'l1', sku: aisle, quantity: 2, unitPriceMinor: PRICE }], LYON_ADDRESS);
    const customerId = body.customer.id;
    const placed = expectStatus(
      await stack.call('POST', '/v1/orders', 'agent', { ...body, channel: 'call_center' }),
      201,
    );
    expect(placed.body.timeline[0]).toMatchObject({
      type: 'received',
      actor: expect.stringMatching(/^agent:/),
    });
    const order = body.orderId;
    const confirmed = await waitForStatus(stack, order, 'confirmed');
    const tracking = await shipFulfillment(stack, fulfillmentAt(confirmed, 'WH-LYON').fulfillmentId);
    await reportCarrierEvent(stack, tracking, 'delivered');
    await waitForStatus(stack, order, 'completed');

    const rma = expectStatus(
      await stack.call('POST', `/v1/orders/${order}/returns`, 'agent', {
        lines: [{ lineId: 'l1', quantity: 1, reason: 'defective' }],
        method: 'mail',
      }),
      201,
    ).body;
    expectStatus(
      await stack.call('POST', `/v1/orders/${order}/appeasements`, 'agent', {
        amountMinor: 500,
        reasonCode: 'late_delivery',
      }),
      201,
    );
    const timeline = (await readOrder(stack, order)).timeline;
    for (const type of ['received', 'return_requested', 'appeasement_granted'])
      expect(timeline.find((entry) => entry.type === type)).toMatchObject({
        actor: expect.stringMatching(/^agent:/),
      });

    const customer = expectStatus(await stack.call('GET', `/v1/customers/${customerId}`, 'agent'), 200).body;
    expect(customer).toMatchObject({
      customerId,
      totals: { orders: 1, byChannel: { call_center: 1 }, openReturns: 1 },
      lifetimeValue: [
        { currency: 'EUR', capturedMinor: 2 * PRICE, refundedMinor: 500, netMinor: 2 * PRICE - 500 },
      ],
    });
    expect(customer.openReturns).toEqual([expect.objectContaining({ rmaId: rma.rmaId })]);

    const search = async (q: string) =>
      expectStatus(
        await stack.call('GET', `/v1/orders/search?q=${encodeURIComponent(q)}`, 'agent'),
        200,
      ).body.items.map((item: { order: { orderId: string }; matched: string[] }) => [
        item.order.orderId,
        item.matched,
      ]);
    expect(await search(order)).toEqual([[order, ['order_id']]]);
    expect(await search(tracking)).toEqual([[order, ['tracking_number']]]);
    expect(await search(rma.label.trackingNumber)).toEqual([[order, ['tracking_number']]]);
    expect(await search(customerId)).toEqual([[order, ['customer_id']]]);
    expect((await search(body.customer.email.toUpperCase())).map(([id]: [string]) => id)).toContain(order);
  });

  test('with no return window the delivered order closes at once; a return asked later is 409 return-window-closed', async () => {
    const final = await seedProduct(stack, PRICE, { 'WH-LYON': 1 }); // no window of its own: the stack's 0 days
    const order = await deliveredOrder(stack, final, 1);
    await eventually('the order workflow to close', async () => {
      const answer = await stack.call('POST', `/v1/orders/${order}/returns`, 'channel', {
        lines: [{ lineId: 'l1', quantity: 1, reason: 'wrong_size' }],
        method: 'store',
      });
      return answer.status === 409 && String(answer.body.type).endsWith('return-window-closed')
        ? answer
        : undefined;
    });
  });
});
