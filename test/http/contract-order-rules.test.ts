import request from 'supertest';
import type { OrderRequest } from '../../src/domain/order-request';
import type { OrderStatus, OrderView } from '../../src/domain/order-view';
import { OrderTestEnv } from '../workflow/support/order-test-env';
import { AUTH } from './gateway-harness';
import { gatewayOverWorker, waitForStatusOverHttp } from './gateway-over-worker';

// CONTRACT.md, "Orders" and "Fulfilment, carriers, payments", over HTTP against the real v2 order workflow:
// the order view's fields, the 409s once a parcel has left, and the simulated payment tokens.
const env = new OrderTestEnv('http-contract-orders');
const gateway = gatewayOverWorker(env);
const api = () => request(gateway.app);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const waitForStatus = (orderId: string, status: OrderStatus) =>
  waitForStatusOverHttp(gateway.app, orderId, status);

/** Places an order of two lines of a fresh SKU stocked at Lyon; answers its id. */
async function placeOrder(overrides: Partial<OrderRequest> = {}): Promise<string> {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const order = env.orderRequest(sku, {
    lines: [
      { lineId: 'l1', sku, quantity: 2, unitPriceMinor: 4500 },
      { lineId: 'l2', sku, quantity: 1, unitPriceMinor: 1000 },
    ],
    ...overrides,
  });
  expect((await api().post('/v1/orders').set(AUTH.channel).send(order)).status).toBe(201);
  return order.orderId;
}

/** A confirmed order whose one parcel node staff have handed to the carrier. */
async function shippedOrder(): Promise<OrderView> {
  const orderId = await placeOrder();
  const confirmed = await waitForStatus(orderId, 'confirmed');
  const shipped = await api()
    .post(`/v1/fulfillments/${confirmed.fulfillments[0]!.fulfillmentId}/ship`)
    .set(AUTH.node)
    .send({});
  expect(shipped.status).toBe(200);
  return waitForStatus(orderId, 'shipped');
}

test('the order view carries every field the contract lists, timestamps in ISO 8601 UTC', async () => {
  const view = await shippedOrder();
  expect(view).toMatchObject({
    orderId: expect.any(String),
    status: 'shipped',
    channel: 'web',
    customer: { id: 'cust-1', email: expect.any(String) },
    currency: 'EUR',
    payment: {
      status: expect.any(String),
      authorizedMinor: 10000,
      capturedMinor: expect.any(Number),
      refundedMinor: 0,
    },
    returns: [],
  });
  expect(view.lines).toEqual([
    expect.objectContaining({
      lineId: 'l1',
      sku: expect.any(String),
      quantity: 2,
      status: expect.any(String),
    }),
    expect.objectContaining({
      lineId: 'l2',
      sku: expect.any(String),
      quantity: 1,
      status: expect.any(String),
    }),
  ]);
  expect(view.fulfillments).toEqual([
    expect.objectContaining({
      fulfillmentId: expect.any(String),
      nodeId: 'WH-LYON',
      lines: [
        { lineId: 'l1', quantity: 2 },
        { lineId: 'l2', quantity: 1 },
      ],
      status: 'shipped',
      trackingNumber: expect.any(String),
    }),
  ]);
  expect(view.timeline.length).toBeGreaterThan(0);
  for (const entry of view.timeline) {
    expect(entry).toEqual(
      expect.objectContaining({ at: expect.stringMatching(ISO_UTC), type: expect.any(String) }),
    );
  }
});

test('cancelling a whole order whose parcel has shipped is a 409 and the order stays shipped', async () => {
  const { orderId } = await shippedOrder();
  const response = await api()
    .post(`/v1/orders/${orderId}/cancel`)
    .set(AUTH.channel)
    .send({ reason: 'late' });
  expect(response.status).toBe(409);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect((await api().get(`/v1/orders/${orderId}`).set(AUTH.agent)).body.status).toBe('shipped');
});

test('cancelling a shipped line is a 409', async () => {
  const { orderId } = await shippedOrder();
  const response = await api()
    .post(`/v1/orders/${orderId}/cancel`)
    .set(AUTH.agent)
    .send({ lineIds: ['l2'], reason: 'late' });
  expect(response.status).toBe(409);
});

test('changing the address once the parcel has shipped is a 409', async () => {
  const { orderId } = await shippedOrder();
  const response = await api()
    .patch(`/v1/orders/${orderId}`)
    .set(AUTH.agent)
    .send({ address: { line1: '2 quai Saint-Antoine', city: 'Lyon', postalCode: '69002', country: 'FR' } });
  expect(response.status).toBe(409);
});

test('tok_decline ends the order payment_failed', async () => {
  const orderId = await placeOrder({ payment: { token: 'tok_decline' } });
  const view = await waitForStatus(orderId, 'payment_failed');
  expect(view.payment.authorizedMinor).toBe(0);
});

test('tok_review holds the order until an agent releases it, then it is confirmed', async () => {
  const orderId = await placeOrder({ payment: { token: 'tok_review' } });
  await waitForStatus(orderId, 'on_hold');
  const released = await api().post(`/v1/orders/${orderId}/holds/release`).set(AUTH.agent).send({});
  expect(released.status).toBe(200);
  await waitForStatus(orderId, 'confirmed');
});

test('tok_review: an agent may cancel the held order instead', async () => {
  const orderId = await placeOrder({ payment: { token: 'tok_review' } });
  await waitForStatus(orderId, 'on_hold');
  const cancelled = await api()
    .post(`/v1/orders/${orderId}/cancel`)
    .set(AUTH.agent)
    .send({ reason: 'fraud confirmed' });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.status).toBe('cancelled');
});

const RETURN_REQUEST = { lines: [{ lineId: 'l1', quantity: 1, reason: 'wrong_size' }], method: 'store' };

test('a return of units that have shipped but not arrived is a 409 not-delivered', async () => {
  const { orderId } = await shippedOrder();
  const response = await api().post(`/v1/orders/${orderId}/returns`).set(AUTH.channel).send(RETURN_REQUEST);
  expect(response.status).toBe(409);
  expect(response.body.type).toBe('/problems/not-delivered');
});

test('a return after the window has passed is a 409 return-window-closed', async () => {
  // The test worker's return window is 0 days: a delivered order closes at once.
  const { orderId, fulfillments } = await shippedOrder();
  const delivered = await api().post('/v1/webhooks/carrier').set(AUTH.carrier).send({
    trackingNumber: fulfillments[0]!.trackingNumber,
    event: 'delivered',
    at: new Date().toISOString(),
  });
  expect(delivered.status).toBe(202);
  await waitForStatus(orderId, 'completed');
  const response = await api().post(`/v1/orders/${orderId}/returns`).set(AUTH.channel).send(RETURN_REQUEST);
  expect(response.status).toBe(409);
  expect(response.body.type).toBe('/problems/return-window-closed');
});

test('an order with the longest orderId the contract schema takes can be shipped and read by its fulfilment id', async () => {
  const orderId = await placeOrder({ orderId: `long-${'x'.repeat(59)}` });
  expect(orderId).toHaveLength(64);
  const confirmed = await waitForStatus(orderId, 'confirmed');
  const fulfillmentId = confirmed.fulfillments[0]!.fulfillmentId;
  expect(fulfillmentId).toBe(`${orderId}-F1`);
  const shipped = await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node).send({});
  expect(shipped.status).toBe(200);
  expect(shipped.body.fulfillmentId).toBe(fulfillmentId);
});
