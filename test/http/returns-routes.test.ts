import { bundleWorkflowCode, DefaultLogger, NativeConnection, type Worker } from '@temporalio/worker';
import request from 'supertest';
import { createActivities } from '../../activities';
import { createSimulatedCarrier } from '../../src/carriers/simulated-carrier';
import type { NodeDoc } from '../../src/db/documents';
import type { OrderRequest } from '../../src/domain/order-request';
import { createStockRepository } from '../../src/inventory/stock-repository';
import { summarizePaymentLedger } from '../../src/payments';
import {
  createSimulatedPaymentGateway,
  PAYMENT_SIM_LEDGER,
} from '../../src/payments/simulated-payment-gateway';
import { damagedUnits } from '../../src/returns/damaged-stock';
import { createOrderWorker } from '../../src/worker/create-order-worker';
import { getOrderQuery, orderWorkflowId } from '../../workflows/order.messages';
import { returnWorkflowId } from '../../workflows/return.messages';
import { installQuietRuntime } from '../support/quiet-temporal';
import { temporalAddress } from '../support/servers';
import { waitFor } from '../workflow/support/fulfillment-test-env';
import type { ReturnTestOrderInput } from '../workflow/support/return-test-workflows';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

// The returns, appeasement and customer-service routes against real RMA workflows under a stand-in order
// (the returns plug-in registered as the order workflow registers it), with the real activities over this
// file's database, the simulated payment provider (its ledger) and carrier.
let gateway: GatewayHarness;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const started: string[] = [];
const api = () => request(gateway.app);
const SKU = 'COAT-RED-M';

const node = (id: string, type: NodeDoc['type'], capabilities: string[], lat: number, lon: number) => ({
  name: id,
  type,
  location: { lat, lon, postalCode: '75001', country: 'FR' },
  capabilities,
});

beforeAll(async () => {
  installQuietRuntime();
  gateway = await startGatewayHarness('returns_routes', { updateTimeoutMs: 10_000 });
  connection = await NativeConnection.connect({ address: temporalAddress() });
  worker = await createOrderWorker({
    connection,
    taskQueue: gateway.config.taskQueue,
    activities: createActivities({
      collections: gateway.collections,
      payment: createSimulatedPaymentGateway({
        ledger: gateway.collections.inventory.db.collection(PAYMENT_SIM_LEDGER),
      }),
      carrier: createSimulatedCarrier({ latencyMs: { min: 0, max: 2 } }),
      config: gateway.config,
    }),
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflow/support/return-test-workflows'),
      logger: new DefaultLogger('ERROR'),
    }),
  });
  running = worker.run();
  const put = (path: string, body: object) => api().put(path).set(AUTH.admin).send(body);
  expect(
    (await put('/v1/nodes/ST-PARIS', node('ST-PARIS', 'store', ['ship', 'pickup', 'return'], 48.86, 2.35)))
      .status,
  ).toBe(201);
  expect((await put('/v1/nodes/WH-LYON', node('WH-LYON', 'warehouse', ['ship'], 45.76, 4.84))).status).toBe(
    201,
  );
  expect(
    (await put(`/v1/products/${SKU}`, { name: 'Coat', priceMinor: 4500, currency: 'EUR', weightGrams: 900 }))
      .status,
  ).toBe(201);
  expect(
    (
      await put('/v1/products/SCARF-A', {
        name: 'Scarf',
        priceMinor: 9000,
        currency: 'EUR',
        weightGrams: 100,
        returnWindowDays: 14,
      })
    ).status,
  ).toBe(201);
  expect((await put(`/v1/inventory/${SKU}/ST-PARIS`, { onHand: 0 })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(
    started.map((id) => gateway.temporal.workflow.getHandle(id).terminate('HTTP test finished')),
  );
  worker.shutdown();
  await running;
  await connection.close();
  await gateway.close();
}, 60_000);

function orderRequest(orderId: string, customerId = 'cust-ret'): OrderRequest {
  return {
    orderId,
    channel: 'web',
    customer: { id: customerId, email: 'Grace@Example.com', name: 'Grace' },
    currency: 'EUR',
    lines: [
      { lineId: 'l1', sku: SKU, quantity: 2, unitPriceMinor: 4500 },
      { lineId: 'l2', sku: 'SCARF-A', quantity: 1, unitPriceMinor: 9000 },
    ],
    delivery: {
      method: 'ship',
      address: {
        line1: '1 rue de Rivoli',
        city: 'Paris',
        postalCode: '75001',
        country: 'FR',
        lat: 48.86,
        lon: 2.35,
      },
    },
    payment: { token: 'tok_ok' },
  };
}

/** A completed order (one delivered parcel, captured), standing in for the order workflow with the returns plug-in. */
async function deliveredOrder(
  overrides: Partial<Omit<ReturnTestOrderInput, 'order'>> = {},
  customerId?: string,
): Promise<string> {
  const orderId = gateway.newOrderId();
  started.push(orderWorkflowId(orderId), ...[1, 2].map((n) => returnWorkflowId(`${orderId}-R${n}`)));
  const handle = await gateway.temporal.workflow.start('returnTestOrder', {
    workflowId: orderWorkflowId(orderId),
    taskQueue: gateway.config.taskQueue,
    args: [{ order: orderRequest(orderId, customerId), ...overrides }],
  });
  await waitFor(async () => {
    const doc = await gateway.collections.orders.findOne({ _id: orderId });
    return doc !== null && doc.status !== 'received';
  });
  void handle;
  return orderId;
}

const returnLines = (quantity = 1) => [{ lineId: 'l1', quantity, reason: 'wrong_size' }];

describe('POST /v1/orders/{orderId}/returns', () => {
  it('opens an RMA for delivered units: 201 with its Location; a mail return carries its label', async () => {
    const orderId = await deliveredOrder();
    const response = await api()
      .post(`/v1/orders/${orderId}/returns`)
      .set(AUTH.channel)
      .send({ lines: returnLines(), method: 'mail' });
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/v1/returns/${orderId}-R1`);
    expect(response.body).toMatchObject({
      rmaId: `${orderId}-R1`,
      status: 'awaiting_return',
      method: 'mail',
      lines: [{ lineId: 'l1', sku: SKU, quantity: 1, reason: 'wrong_size', unitPriceMinor: 4500 }],
      label: { carrier: 'SIMPOST', nodeId: 'ST-PARIS' },
    });
    expect(
      await gateway.collections.shipments.findOne({ _id: response.body.label.trackingNumber }),
    ).toMatchObject({
      workflowId: returnWorkflowId(`${orderId}-R1`),
    });
  });

  it('the carrier webhook for the return label reaches the RMA: in transit, it no longer waits to expire', async () => {
    const orderId = await deliveredOrder();
    const rma = (
      await api()
        .post(`/v1/orders/${orderId}/returns`)
        .set(AUTH.channel)
        .send({ lines: returnLines(), method: 'locker' })
    ).body;
    const webhook = await api()
      .post('/v1/webhooks/carrier')
      .set(AUTH.carrier)
      .send({ trackingNumber: rma.label.trackingNumber, event: 'in_transit', at: new Date().toISOString() });
    expect(webhook.status).toBe(202);
    await waitFor(
      async () => (await api().get(`/v1/returns/${rma.rmaId}`).set(AUTH.agent)).body.status === 'in_transit',
    );
  });

  it('answers 409 return-window-closed past the product window, not-delivered before delivery, already-returned for units under an RMA', async () => {
    const late = await deliveredOrder({ deliveredDaysAgo: 20 });
    const closed = await api()
      .post(`/v1/orders/${late}/returns`)
      .set(AUTH.agent)
      .send({ lines: [{ lineId: 'l2', quantity: 1, reason: 'too late' }], method: 'store' });
    expect(closed.status).toBe(409);
    expect(closed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(closed.body).toMatchObject({ type: expect.stringContaining('return-window-closed'), status: 409 });
    expect(closed.body.detail).toContain('14 days');

    const shipped = await deliveredOrder({ fulfillmentStatus: 'in_transit' });
    const notYet = await api()
      .post(`/v1/orders/${shipped}/returns`)
      .set(AUTH.agent)
      .send({ lines: returnLines(), method: 'store' });
    expect(notYet.status).toBe(409);
    expect(notYet.body.type).toContain('not-delivered');

    expect(
      (
        await api()
          .post(`/v1/orders/${late}/returns`)
          .set(AUTH.agent)
          .send({ lines: returnLines(2), method: 'store' })
      ).status,
    ).toBe(201);
    const again = await api()
      .post(`/v1/orders/${late}/returns`)
      .set(AUTH.agent)
      .send({ lines: returnLines(), method: 'store' });
    expect(again.status).toBe(409);
    expect(again.body.type).toContain('already-returned');
  });

  it('answers 422 for a line the order does not have, or a field the contract does not know', async () => {
    const orderId = await deliveredOrder();
    const unknownLine = await api()
      .post(`/v1/orders/${orderId}/returns`)
      .set(AUTH.agent)
      .send({ lines: [{ lineId: 'nope', quantity: 1, reason: 'x' }], method: 'store' });
    expect(unknownLine.status).toBe(422);
    const unknownField = await api()
      .post(`/v1/orders/${orderId}/returns`)
      .set(AUTH.agent)
      .send({ lines: returnLines(), method: 'store', refundNow: true });
    expect(unknownField.status).toBe(422);
  });

  it('answers 404 for an order that does not exist', async () => {
    const response = await api()
      .post('/v1/orders/NOPE-404/returns')
      .set(AUTH.agent)
      .send({ lines: returnLines(), method: 'store' });
    expect(response.status).toBe(404);
  });
});

describe('POST /v1/returns/{rmaId}/receive and GET /v1/returns/{rmaId}', () => {
  it('puts sellable units on sale at the receiving store at once, keeps damaged ones apart, refunds once in the ledger', async () => {
    const orderId = await deliveredOrder();
    const rmaId = (
      await api()
        .post(`/v1/orders/${orderId}/returns`)
        .set(AUTH.channel)
        .send({ lines: returnLines(2), method: 'store' })
    ).body.rmaId as string;
    const received = await api()
      .post(`/v1/returns/${rmaId}/receive`)
      .set(AUTH.node)
      .send({
        nodeId: 'ST-PARIS',
        lines: [
          { lineId: 'l1', quantity: 1, condition: 'sellable' },
          { lineId: 'l1', quantity: 1, condition: 'damaged' },
        ],
      });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({
      status: 'received',
      receipt: { nodeId: 'ST-PARIS', actor: expect.stringMatching(/^node:/) },
    });
    const availability = await api().get(`/v1/availability?sku=${SKU}`).set(AUTH.channel);
    expect(availability.body.items).toEqual([expect.objectContaining({ sku: SKU, available: 1 })]);
    expect(availability.body.items[0].nodes).toEqual(
      expect.arrayContaining([{ nodeId: 'ST-PARIS', available: 1 }]),
    );
    expect(await damagedUnits(gateway.collections, SKU, 'ST-PARIS')).toBe(1);

    const twice = await api()
      .post(`/v1/returns/${rmaId}/receive`)
      .set(AUTH.agent)
      .send({ nodeId: 'ST-PARIS', lines: [{ lineId: 'l1', quantity: 1, condition: 'sellable' }] });
    expect(twice.status).toBe(409);
    expect(twice.body.type).toContain('already-received');

    await waitFor(
      async () => (await api().get(`/v1/returns/${rmaId}`).set(AUTH.agent)).body.status === 'completed',
    );
    const ledger = await summarizePaymentLedger(
      gateway.collections.inventory.db.collection(PAYMENT_SIM_LEDGER),
      orderId,
    );
    expect(ledger).toMatchObject({ capturedMinor: 18000, refundedMinor: 9000, accountsAgree: true });
    await waitFor(
      async () =>
        (await api().get(`/v1/orders/${orderId}`).set(AUTH.agent)).body.status === 'partially_returned',
    );
    expect(
      (await createStockRepository(gateway.collections).getRecord(SKU, 'ST-PARIS'))?.onHand,
    ).toBeGreaterThanOrEqual(1);
  });

  it('answers 409 for a node that takes no returns, 422 for an unknown node or line, 404 for an unknown RMA', async () => {
    const orderId = await deliveredOrder();
    const rmaId = (
      await api()
        .post(`/v1/orders/${orderId}/returns`)
        .set(AUTH.agent)
        .send({ lines: returnLines(), method: 'store' })
    ).body.rmaId as string;
    const body = (nodeId: string, lineId = 'l1') => ({
      nodeId,
      lines: [{ lineId, quantity: 1, condition: 'sellable' }],
    });
    const warehouse = await api().post(`/v1/returns/${rmaId}/receive`).set(AUTH.agent).send(body('WH-LYON'));
    expect(warehouse.status).toBe(409);
    expect(
      (await api().post(`/v1/returns/${rmaId}/receive`).set(AUTH.agent).send(body('NOWHERE'))).status,
    ).toBe(422);
    expect(
      (await api().post(`/v1/returns/${rmaId}/receive`).set(AUTH.agent).send(body('ST-PARIS', 'l2'))).status,
    ).toBe(422);
    expect(
      (await api().post('/v1/returns/NOPE-R1/receive').set(AUTH.agent).send(body('ST-PARIS'))).status,
    ).toBe(404);
    expect(
      (await api().post(`/v1/returns/${rmaId}/receive`).set(AUTH.channel).send(body('ST-PARIS'))).status,
    ).toBe(403);
  });

  it('reads an RMA live, then from the read model once its workflow has ended; 404 when unknown', async () => {
    const orderId = await deliveredOrder();
    const rmaId = (
      await api()
        .post(`/v1/orders/${orderId}/returns`)
        .set(AUTH.agent)
        .send({ lines: returnLines(), method: 'store' })
    ).body.rmaId as string;
    expect((await api().get(`/v1/returns/${rmaId}`).set(AUTH.channel)).body).toMatchObject({
      rmaId,
      status: 'awaiting_return',
    });
    await api()
      .post(`/v1/returns/${rmaId}/receive`)
      .set(AUTH.agent)
      .send({ nodeId: 'ST-PARIS', lines: [{ lineId: 'l1', quantity: 1, condition: 'sellable' }] });
    const handle = gateway.temporal.workflow.getHandle(returnWorkflowId(rmaId));
    await handle.result();
    await waitFor(
      async () => (await gateway.collections.returns.findOne({ _id: rmaId }))?.status === 'completed',
    );
    const closed = await api().get(`/v1/returns/${rmaId}`).set(AUTH.agent);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ rmaId, status: 'completed', refund: { refundedMinor: 4500 } });
    expect((await api().get('/v1/returns/NOPE-R9').set(AUTH.agent)).status).toBe(404);
  });
});

describe('POST /v1/orders/{orderId}/appeasements', () => {
  it('refunds a goodwill credit within the cap, on the timeline with the agent; above the cap 409; channel 403', async () => {
    const orderId = await deliveredOrder();
    const granted = await api()
      .post(`/v1/orders/${orderId}/appeasements`)
      .set(AUTH.agent)
      .send({ amountMinor: 1500, reasonCode: 'late_delivery', lineId: 'l1' });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      appeasementId: `${orderId}-A1`,
      refundedMinor: 1500,
      role: 'agent',
    });
    const view = await gateway.temporal.workflow.getHandle(orderWorkflowId(orderId)).query(getOrderQuery);
    expect(view.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'appeasement_granted', actor: expect.stringMatching(/^agent:/) }),
      ]),
    );
    const ledger = await summarizePaymentLedger(
      gateway.collections.inventory.db.collection(PAYMENT_SIM_LEDGER),
      orderId,
    );
    expect(ledger.refundedMinor).toBe(1500);
    const above = await api()
      .post(`/v1/orders/${orderId}/appeasements`)
      .set(AUTH.agent)
      .send({ amountMinor: 6000, reasonCode: 'goodwill' });
    expect(above.status).toBe(409);
    expect(above.body.type).toContain('appeasement-above-cap');
    expect(
      (
        await api()
          .post(`/v1/orders/${orderId}/appeasements`)
          .set(AUTH.channel)
          .send({ amountMinor: 100, reasonCode: 'x' })
      ).status,
    ).toBe(403);
  });
});

describe('customer service', () => {
  it('GET /v1/customers/{customerId} lists every order with totals, open returns and lifetime value', async () => {
    const customerId = `cust-360-${Date.now()}`;
    const first = await deliveredOrder({}, customerId);
    await deliveredOrder({}, customerId);
    await api()
      .post(`/v1/orders/${first}/returns`)
      .set(AUTH.agent)
      .send({ lines: returnLines(), method: 'store' });
    await waitFor(
      async () =>
        ((await api().get(`/v1/customers/${customerId}`).set(AUTH.agent)).body.totals?.openReturns ?? 0) ===
        1,
    );
    const response = await api().get(`/v1/customers/${customerId}`).set(AUTH.agent);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      customerId,
      name: 'Grace',
      emails: ['grace@example.com'],
      totals: { orders: 2, byChannel: { web: 2 }, openReturns: 1 },
      lifetimeValue: [
        { currency: 'EUR', orders: 2, capturedMinor: 36000, refundedMinor: 0, netMinor: 36000 },
      ],
    });
    expect(response.body.openReturns[0]).toMatchObject({ rmaId: `${first}-R1` });
    expect((await api().get('/v1/customers/nobody-at-all').set(AUTH.agent)).status).toBe(404);
    expect((await api().get(`/v1/customers/${customerId}`).set(AUTH.channel)).status).toBe(403);
  });

  it('GET /v1/orders/search finds orders by order id, email, return tracking number and customer id', async () => {
    const customerId = `cust-search-${Date.now()}`;
    const orderId = await deliveredOrder({}, customerId);
    const rma = await api()
      .post(`/v1/orders/${orderId}/returns`)
      .set(AUTH.agent)
      .send({ lines: returnLines(), method: 'mail' });
    const search = async (q: string) =>
      (await api().get('/v1/orders/search').query({ q }).set(AUTH.agent)).body.items.map(
        (item: { order: { orderId: string }; matched: string[] }) => [item.order.orderId, item.matched],
      );
    expect(await search(orderId)).toEqual([[orderId, ['order_id']]]);
    expect(await search(rma.body.label.trackingNumber)).toEqual([[orderId, ['tracking_number']]]);
    expect(await search(customerId)).toEqual([[orderId, ['customer_id']]]);
    expect((await search('GRACE@example.com')).map(([id]: [string]) => id)).toContain(orderId);
    expect(await search('nothing-matches-this')).toEqual([]);
    expect((await api().get('/v1/orders/search').set(AUTH.agent)).status).toBe(422);
  });

  it('PUT /v1/customers/{customerId} sets the standing the return rules use (admin only)', async () => {
    const response = await api()
      .put('/v1/customers/cust-vip-1')
      .set(AUTH.admin)
      .send({ tier: 'vip', trustedReturns: true });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ tier: 'vip', trustedReturns: true });
    expect((await api().put('/v1/customers/cust-vip-1').set(AUTH.agent).send({ tier: 'vip' })).status).toBe(
      403,
    );
    expect((await api().put('/v1/customers/cust-vip-1').set(AUTH.admin).send({})).status).toBe(422);
  });
});
