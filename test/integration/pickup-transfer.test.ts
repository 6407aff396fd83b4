import type { OrderView } from '../../src/domain/order-view';
import type { LiveStack } from './support/live-stack';
import { LYON_NODE, PRICE, startSeededStack } from './support/lifecycle-fixtures';
import {
  countOperations,
  expectStatus,
  paymentSummary,
  readOrder,
  readStock,
  reportCarrierEvent,
  seedProduct,
  stockDrift,
  uniqueId,
  waitForOrder,
  waitForStatus,
} from './support/order-driver';

// Click-and-collect from another node over the real stack: the Lyon warehouse holds the units, the customer
// collects them at a Villeurbanne store that has none, so the warehouse ships them there first (a transfer).
const STORE = 'ST-VILLEURBANNE';

/** A store that takes pickups but ships nothing, a few kilometres from the Lyon warehouse. */
async function seedStore(stack: LiveStack): Promise<void> {
  const answer = await stack.call('PUT', `/v1/nodes/${STORE}`, 'admin', {
    name: 'Villeurbanne store',
    type: 'store',
    location: { lat: 45.7719, lon: 4.8902, postalCode: '69100', country: 'FR' },
    capabilities: ['pickup'],
  });
  expect([200, 201]).toContain(answer.status);
}

/** Places a pickup order at the store for two units of the SKU; answers its id. */
async function placePickupOrder(stack: LiveStack, sku: string): Promise<string> {
  const orderId = uniqueId('transfer');
  const body = {
    orderId,
    channel: 'web',
    customer: { id: uniqueId('cust'), email: 'ada@example.com', name: 'Ada' },
    currency: 'EUR',
    lines: [{ lineId: 'l1', sku, quantity: 2, unitPriceMinor: PRICE }],
    delivery: { method: 'pickup', pickupNodeId: STORE },
    payment: { token: 'tok_ok' },
  };
  expectStatus(await stack.call('POST', '/v1/orders', 'channel', body), 201);
  return orderId;
}

const post = (stack: LiveStack, fulfillmentId: string, step: 'ship' | 'ready' | 'picked-up') =>
  stack.call('POST', `/v1/fulfillments/${fulfillmentId}/${step}`, 'node');

/** The store makes the part ready (its transfer counts as arrived) and the customer collects it. */
async function readyAndCollect(stack: LiveStack, orderId: string, fulfillmentId: string): Promise<OrderView> {
  expect(expectStatus(await post(stack, fulfillmentId, 'ready'), 200).body).toMatchObject({
    status: 'ready_for_pickup',
    transfer: { toNodeId: STORE, status: 'arrived' },
  });
  await waitForStatus(stack, orderId, 'ready_for_pickup');
  expectStatus(await post(stack, fulfillmentId, 'picked-up'), 200);
  return waitForStatus(stack, orderId, 'completed');
}

const transferEntries = (view: OrderView) =>
  view.timeline.filter((e) => e.type.startsWith('transfer_')).map((e) => [e.type, e.detail]);

/** Runs a stack with the Lyon warehouse and the store around the enclosing describe; answers a getter. */
function useTransferStack(options: Parameters<typeof startSeededStack>[0]): () => LiveStack {
  let stack: LiveStack | undefined;
  beforeAll(async () => {
    stack = await startSeededStack(options, LYON_NODE);
    await seedStore(stack);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);
  return () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };
}

describe('manual: node staff, the carrier and the store act over HTTP', () => {
  const live = useTransferStack({ name: 'pickup-transfer', simulation: 'manual', failureRate: 0.2 });

  test('the warehouse ships the transfer, the carrier delivers it to the store, the store hands it over; paid at pickup', async () => {
    const stack = live();
    const sku = await seedProduct(stack, PRICE, { 'WH-LYON': 5 });
    const orderId = await placePickupOrder(stack, sku);
    const confirmed = await waitForStatus(stack, orderId, 'confirmed');
    const fulfillmentId = `${orderId}-F1`;
    expect(confirmed.fulfillments).toEqual([
      expect.objectContaining({
        fulfillmentId,
        nodeId: 'WH-LYON',
        method: 'pickup',
        status: 'created',
        transfer: { toNodeId: STORE, status: 'pending' },
      }),
    ]);

    const shipped = expectStatus(await post(stack, fulfillmentId, 'ship'), 200).body as {
      trackingNumber: string;
      carrier: string;
    };
    expect(shipped.trackingNumber).toMatch(/^SIM\d{12}$/);
    const inTransit = await waitForOrder(stack, orderId, 'transfer in transit', (v) =>
      v.fulfillments.some((f) => f.transfer?.status === 'in_transit'),
    );
    expect(inTransit.fulfillments[0]?.transfer?.trackingNumber).toBe(shipped.trackingNumber);
    expect(inTransit.status).toBe('confirmed');
    // The units left the warehouse; the customer has not been charged.
    expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ onHand: 3, reserved: 0 });
    expect(countOperations(await paymentSummary(stack, orderId))).toEqual({ authorize: 1 });

    await reportCarrierEvent(stack, shipped.trackingNumber, 'in_transit');
    await reportCarrierEvent(stack, shipped.trackingNumber, 'delivered');
    const arrived = await waitForOrder(stack, orderId, 'transfer arrived', (v) =>
      v.fulfillments.some((f) => f.transfer?.status === 'arrived'),
    );
    expect(transferEntries(arrived)).toEqual([
      ['transfer_shipped', `${fulfillmentId} from WH-LYON to ${STORE} ${shipped.trackingNumber}`],
      ['transfer_arrived', `${fulfillmentId} from WH-LYON to ${STORE} ${shipped.trackingNumber}`],
    ]);

    const final = await readyAndCollect(stack, orderId, fulfillmentId);

    expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 2 * PRICE });
    expect(countOperations(await paymentSummary(stack, orderId))).toEqual({ authorize: 1, capture: 1 });
    expect(final.timeline.find((e) => e.type === 'fulfillment_picked_up')?.detail).toBe(
      `${fulfillmentId} at ${STORE}`,
    );
    // Consumed once, when the transfer left the warehouse; the ledger agrees with the counters.
    expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await stockDrift(stack, [sku])).toEqual([]);
  });

  test("the contract's plain pickup flow still works: the store makes the part ready and hands it over, no ship", async () => {
    const stack = live();
    const sku = await seedProduct(stack, PRICE, { 'WH-LYON': 5 });
    const orderId = await placePickupOrder(stack, sku);
    await waitForStatus(stack, orderId, 'confirmed');
    const fulfillmentId = `${orderId}-F1`;

    const final = await readyAndCollect(stack, orderId, fulfillmentId);

    expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 2 * PRICE });
    // No leg shipped: the units left the warehouse's stock once, at pickup.
    expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await stockDrift(stack, [sku])).toEqual([]);
  });
});

describe('auto simulation: a transfer order completes by itself', () => {
  const live = useTransferStack({
    name: 'pickup-transfer-auto',
    simulation: 'auto',
    simStepMs: 300,
    failureRate: 0.2,
  });

  test('the simulation ships the transfer, delivers it to the store, makes it ready and collects it', async () => {
    const stack = live();
    const sku = await seedProduct(stack, PRICE, { 'WH-LYON': 4 });
    const orderId = await placePickupOrder(stack, sku);
    const final = await waitForStatus(stack, orderId, 'completed', 60_000);
    const steps = [
      'transfer_shipped',
      'transfer_arrived',
      'fulfillment_ready_for_pickup',
      'fulfillment_picked_up',
    ];
    expect(final.timeline.map((e) => e.type).filter((type) => steps.includes(type))).toEqual(steps);
    expect(final.payment).toMatchObject({ status: 'captured', capturedMinor: 2 * PRICE });
    expect((await readOrder(stack, orderId)).fulfillments[0]).toMatchObject({
      status: 'picked_up',
      transfer: { toNodeId: STORE, status: 'arrived' },
    });
  });
});
