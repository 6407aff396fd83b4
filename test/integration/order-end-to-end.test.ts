import type { OrderStatus, OrderView } from '../../src/domain/order-view';
import { startLiveStack, type LiveStack } from './support/live-stack';

// The whole system as it runs in production, in one process: the gateway on a real port, a worker with the
// simulated payment provider and carrier (failing 20% of calls; in the auto stack also losing the first answer
// to every operation, so retries happen for certain), the suite's Temporal server and MongoDB. Everything the
// test does, it does over HTTP, as a channel, node staff or a carrier would.

const NODES = {
  'WH-LYON': { lat: 45.764, lon: 4.8357, postalCode: '69001' },
  'WH-PARIS': { lat: 48.8566, lon: 2.3522, postalCode: '75001' },
} as const;
type NodeId = keyof typeof NODES;

/** A few kilometres from the Lyon warehouse, several hundred from Paris. */
const LYON_ADDRESS = {
  line1: '1 rue de la République',
  city: 'Villeurbanne',
  postalCode: '69100',
  country: 'FR',
  lat: 45.7719,
  lon: 4.8902,
};
const UNIT_PRICE_MINOR = 4500;
const QUANTITY = 2;
const TOTAL_MINOR = UNIT_PRICE_MINOR * QUANTITY;
const TERMINAL: readonly OrderStatus[] = ['completed', 'cancelled', 'payment_failed'];

let counter = 0;
const uniqueId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${++counter}`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `read` returns something; fails with the last thing seen when the deadline passes. */
async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(200);
  }
}

/** Creates the network over the admin routes. */
async function seedNodes(stack: LiveStack): Promise<void> {
  for (const [nodeId, location] of Object.entries(NODES)) {
    const answer = await stack.call('PUT', `/v1/nodes/${nodeId}`, 'admin', {
      name: nodeId,
      type: 'warehouse',
      location: { ...location, country: 'FR' },
      capabilities: ['ship'],
    });
    expect(answer.status).toBe(201);
  }
}

/** A product of its own for one test, stocked at the given nodes over the admin routes. */
async function seedProduct(stack: LiveStack, stock: Partial<Record<NodeId, number>>): Promise<string> {
  const sku = uniqueId('SKU');
  const product = await stack.call('PUT', `/v1/products/${sku}`, 'admin', {
    name: 'Silk scarf',
    priceMinor: UNIT_PRICE_MINOR,
    currency: 'EUR',
    weightGrams: 120,
  });
  expect(product.status).toBe(201);
  for (const [nodeId, onHand] of Object.entries(stock)) {
    const counted = await stack.call('PUT', `/v1/inventory/${sku}/${nodeId}`, 'admin', { onHand });
    expect(counted.body).toMatchObject({ onHand, reserved: 0, available: onHand });
  }
  return sku;
}

function orderBody(sku: string, token = 'tok_ok') {
  return {
    orderId: uniqueId('e2e'),
    channel: 'web',
    customer: { id: uniqueId('cust'), email: 'ada@example.com', name: 'Ada' },
    currency: 'EUR',
    lines: [{ lineId: 'l1', sku, quantity: QUANTITY, unitPriceMinor: UNIT_PRICE_MINOR }],
    delivery: { method: 'ship', address: LYON_ADDRESS },
    payment: { token },
  };
}

async function readOrder(stack: LiveStack, orderId: string): Promise<OrderView> {
  const answer = await stack.call('GET', `/v1/orders/${orderId}`, 'channel');
  expect(answer.status).toBe(200);
  return answer.body as OrderView;
}

/** Polls GET /v1/orders/{id} until the order reaches `status`; an order that ends elsewhere fails at once. */
function waitForStatus(stack: LiveStack, orderId: string, status: OrderStatus, timeoutMs = 30_000) {
  return eventually(
    `order ${orderId} to become ${status}`,
    async () => {
      const view = await readOrder(stack, orderId);
      if (view.status !== status && TERMINAL.includes(view.status)) {
        throw new Error(`order ${orderId} ended ${view.status} instead of ${status}`);
      }
      return view.status === status ? view : undefined;
    },
    timeoutMs,
  );
}

async function readStock(stack: LiveStack, sku: string, nodeId: NodeId) {
  const answer = await stack.call('GET', `/v1/inventory/${sku}/${nodeId}`, 'admin');
  expect(answer.status).toBe(200);
  return answer.body as { onHand: number; reserved: number; available: number };
}

/** Temporal's visibility of the order's workflow runs; it follows the server by a moment. */
async function listRuns(stack: LiveStack, query: string): Promise<{ workflowId: string; runId: string }[]> {
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const run of stack.temporal.workflow.list({ query })) runs.push(run);
  return runs;
}

describe('auto simulation: an order placed over HTTP goes all the way by itself', () => {
  let stack: LiveStack;
  let sku: string;
  let order: ReturnType<typeof orderBody>;
  let placed: { status: number; location: string | null; body: OrderView };
  let final: OrderView;

  beforeAll(async () => {
    stack = await startLiveStack({
      name: 'auto',
      simulation: 'auto',
      simStepMs: 300,
      failureRate: 0.2,
      loseFirstAnswers: true,
    });
    await seedNodes(stack);
    sku = await seedProduct(stack, { 'WH-LYON': 10, 'WH-PARIS': 10 });
    order = orderBody(sku);
    const answer = await stack.call('POST', '/v1/orders', 'channel', order);
    placed = {
      status: answer.status,
      location: answer.headers.get('location'),
      body: answer.body as OrderView,
    };
    final = await waitForStatus(stack, order.orderId, 'completed', 60_000);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  test('the gateway reports ready: Temporal, the database and a polling worker', async () => {
    const answer = await fetch(`${stack.baseUrl}/readyz`);
    expect(answer.status).toBe(200);
  });

  test('the gateway accepts the order with 201 and its Location', () => {
    expect(placed.status).toBe(201);
    expect(placed.location).toBe(`/v1/orders/${order.orderId}`);
    expect(placed.body).toMatchObject({
      orderId: order.orderId,
      status: 'received',
      totalMinor: TOTAL_MINOR,
    });
  });

  test('the timeline shows every step from receipt to completion, in order', () => {
    const steps = [
      'received',
      'stock_reserved',
      'payment_authorized',
      'confirmed',
      // Lifecycle v2 captures a fulfilment's share when it ships.
      'payment_captured',
      'shipped',
      'in_transit',
      'fulfillment_delivered',
      'delivered',
      'completed',
    ];
    const seen = final.timeline.map((entry) => entry.type).filter((type) => steps.includes(type));
    expect(seen).toEqual(steps);
  });

  test('the nearest warehouse ships the parcel with a tracking number', () => {
    expect(final.fulfillments).toEqual([
      expect.objectContaining({
        nodeId: 'WH-LYON',
        status: 'delivered',
        trackingNumber: expect.stringMatching(/^SIM\d{12}$/),
      }),
    ]);
  });

  test('the payment is captured for the order total', () => {
    expect(final.payment).toMatchObject({
      status: 'captured',
      authorizedMinor: TOTAL_MINOR,
      capturedMinor: TOTAL_MINOR,
    });
  });

  test('the shipped units leave the shipping node and nothing stays reserved', async () => {
    expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ onHand: 10 - QUANTITY, reserved: 0 });
    expect(await readStock(stack, sku, 'WH-PARIS')).toMatchObject({ onHand: 10, reserved: 0 });
  });

  test('the provider authorises and captures exactly once, though its first answers were lost', async () => {
    const authorizationId = `auth:${order.orderId}`;
    const operations = await stack
      .paymentLedger()
      .find({ $or: [{ _id: authorizationId }, { authorizationId }] })
      .toArray();
    expect(operations.map(({ operation, amountMinor }) => [operation, amountMinor]).sort()).toEqual([
      ['authorize', TOTAL_MINOR],
      ['capture', TOTAL_MINOR],
    ]);
    const account = operations.find((doc) => doc._id === authorizationId);
    expect(account).toMatchObject({ capturedMinor: TOTAL_MINOR, capturableMinor: 0 });
    expect(Object.values(account?.captures ?? {})).toEqual([TOTAL_MINOR]);
  });

  test("the read model lists the order as completed under the customer's id", async () => {
    const listed = await eventually('the read model to show the order completed', async () => {
      const answer = await stack.call('GET', `/v1/orders?customerId=${order.customer.id}`, 'channel');
      expect(answer.status).toBe(200);
      const items = answer.body.items as OrderView[];
      return items[0]?.status === 'completed' ? items : undefined;
    });
    expect(listed.map((item) => [item.orderId, item.status])).toEqual([[order.orderId, 'completed']]);
  });

  test('Temporal finds the workflow by its OrderId and OrderStatus search attributes', async () => {
    const runs = await eventually('visibility to index the completed order', async () => {
      const found = await listRuns(stack, `OrderId = "${order.orderId}" AND OrderStatus = "completed"`);
      return found.length > 0 ? found : undefined;
    });
    expect(runs.map((run) => run.workflowId)).toEqual([`order:${order.orderId}`]);
  });
});

describe('manual simulation: node staff and the carrier act over HTTP', () => {
  let stack: LiveStack;

  beforeAll(async () => {
    stack = await startLiveStack({ name: 'manual', simulation: 'manual', failureRate: 0.2 });
    await seedNodes(stack);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  test('an order ships on the node’s word and completes on the carrier’s delivered event', async () => {
    const sku = await seedProduct(stack, { 'WH-LYON': 5 });
    const order = orderBody(sku);
    expect((await stack.call('POST', '/v1/orders', 'channel', order)).status).toBe(201);

    const confirmed = await waitForStatus(stack, order.orderId, 'confirmed');
    const fulfillmentId = confirmed.fulfillments[0]?.fulfillmentId;
    expect(fulfillmentId).toEqual(expect.any(String));
    await pause(500);
    expect((await readOrder(stack, order.orderId)).status).toBe('confirmed'); // nothing moves by itself

    const shipped = await stack.call('POST', `/v1/fulfillments/${fulfillmentId}/ship`, 'node', {});
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({
      fulfillmentId,
      trackingNumber: expect.stringMatching(/^SIM\d{12}$/),
    });
    // The child reports the parcel to the order by signal: the order follows a moment later.
    await waitForStatus(stack, order.orderId, 'shipped');

    const delivered = await stack.call('POST', '/v1/webhooks/carrier', 'carrier', {
      trackingNumber: shipped.body.trackingNumber,
      event: 'delivered',
      at: new Date().toISOString(),
    });
    expect(delivered.status).toBe(202);

    const completed = await waitForStatus(stack, order.orderId, 'completed');
    expect(completed.payment).toMatchObject({ status: 'captured', capturedMinor: TOTAL_MINOR });
    expect(completed.fulfillments[0]).toMatchObject({
      status: 'delivered',
      trackingNumber: shipped.body.trackingNumber,
    });
    expect(await readStock(stack, sku, 'WH-LYON')).toMatchObject({ onHand: 5 - QUANTITY, reserved: 0 });
  }, 60_000);

  test('the same order posted twice answers 200 with the same order and runs one workflow', async () => {
    const sku = await seedProduct(stack, { 'WH-LYON': 5 });
    const order = orderBody(sku);
    const first = await stack.call('POST', '/v1/orders', 'channel', order);
    const again = await stack.call('POST', '/v1/orders', 'channel', order);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.orderId).toBe(order.orderId);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));

    const changed = await stack.call('POST', '/v1/orders', 'channel', {
      ...order,
      payment: { token: 'tok_x' },
    });
    expect(changed.status).toBe(409);

    await waitForStatus(stack, order.orderId, 'confirmed');
    const runs = await eventually('visibility to index the order', async () => {
      const found = await listRuns(stack, `WorkflowId = "order:${order.orderId}"`);
      return found.length > 0 ? found : undefined;
    });
    expect(runs).toHaveLength(1);
  }, 60_000);

  test('a declined card ends payment_failed and gives the stock back', async () => {
    const sku = await seedProduct(stack, { 'WH-LYON': 5 });
    const before = await readStock(stack, sku, 'WH-LYON');
    const order = orderBody(sku, 'tok_decline');
    expect((await stack.call('POST', '/v1/orders', 'channel', order)).status).toBe(201);

    const failed = await waitForStatus(stack, order.orderId, 'payment_failed');
    expect(failed.payment.status).toBe('declined');
    expect(failed.fulfillments).toEqual([]);
    expect(await readStock(stack, sku, 'WH-LYON')).toEqual(before);
    const captures = await stack.paymentLedger().countDocuments({ authorizationId: `auth:${order.orderId}` });
    expect(captures).toBe(0);
  }, 60_000);
});
