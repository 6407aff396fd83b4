import request from 'supertest';
import type { OrderRequest } from '../../src/domain/order-request';
import type { OrderStatus, OrderView } from '../../src/domain/order-view';
import { OrderTestEnv } from '../workflow/support/order-test-env';
import { AUTH } from './gateway-harness';
import { gatewayOverWorker, waitForStatusOverHttp } from './gateway-over-worker';

// CONTRACT.md: "other POSTs accept an Idempotency-Key header and replay the first answer for the same key and
// body" — here for the writes on orders, fulfilments and returns, against the real v2 order workflow. A
// retry after a lost answer gets that answer, where a plain repeat gets the workflow's refusal.
const env = new OrderTestEnv('http-contract-idem');
const gateway = gatewayOverWorker(env);
const api = () => request(gateway.app);

const waitForStatus = (orderId: string, status: OrderStatus) =>
  waitForStatusOverHttp(gateway.app, orderId, status);

/** The order once a refund shows on its payment account. */
async function waitForRefund(orderId: string): Promise<OrderView> {
  let view: OrderView | undefined;
  for (let attempt = 0; attempt < 200; attempt++) {
    view = (await api().get(`/v1/orders/${orderId}`).set(AUTH.agent)).body as OrderView;
    if (view.payment.refundedMinor > 0) return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`order ${orderId} was never refunded`);
}

/** An order from Lyon (2 units on line l1, and any `more` lines), placed over HTTP and confirmed. */
async function placeConfirmedOrder(sku?: string, more: OrderRequest['lines'] = []): Promise<OrderView> {
  const stocked = sku ?? (await env.stockSku({ 'WH-LYON': 5 }));
  const order = env.orderRequest(stocked, {
    lines: [{ lineId: 'l1', sku: stocked, quantity: 2, unitPriceMinor: 4500 }, ...more],
  });
  expect((await api().post('/v1/orders').set(AUTH.channel).send(order)).status).toBe(201);
  return waitForStatus(order.orderId, 'confirmed');
}

function idempotentPost(path: string, auth: Record<string, string>, key: string, body: object) {
  return () => api().post(path).set(auth).set('Idempotency-Key', key).send(body);
}

test('a cancellation retried with its Idempotency-Key gets the first answer; a plain repeat is a 409', async () => {
  const order = await placeConfirmedOrder();
  const path = `/v1/orders/${order.orderId}/cancel`;
  const cancel = idempotentPost(path, AUTH.channel, `cancel-${order.orderId}`, { reason: 'changed mind' });
  const first = await cancel();
  const retried = await cancel();
  expect(first.status).toBe(200);
  expect(first.body.status).toBe('cancelled');
  expect(retried.status).toBe(200);
  expect(retried.body).toEqual(first.body);
  expect(retried.headers['idempotent-replayed']).toBe('true');
  const plain = await api().post(path).set(AUTH.channel).send({ reason: 'changed mind' });
  expect(plain.status).toBe(409);
});

test('a hold placed twice with the same Idempotency-Key is placed once and answered twice alike', async () => {
  const order = await placeConfirmedOrder();
  const hold = idempotentPost(`/v1/orders/${order.orderId}/holds`, AUTH.agent, `hold-${order.orderId}`, {
    reason: 'customer called',
  });
  const first = await hold();
  const retried = await hold();
  expect([first.status, retried.status]).toEqual([200, 200]);
  expect(retried.body).toEqual(first.body);
  const view = await waitForStatus(order.orderId, 'on_hold');
  expect(view.timeline.filter((entry) => entry.type === 'on_hold')).toHaveLength(1);
});

test('an Idempotency-Key reused on an order with another body is a 422 and changes nothing', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const order = await placeConfirmedOrder(sku, [{ lineId: 'l2', sku, quantity: 1, unitPriceMinor: 1000 }]);
  const key = `cancel-${order.orderId}`;
  const path = `/v1/orders/${order.orderId}/cancel`;
  const first = await idempotentPost(path, AUTH.agent, key, { lineIds: ['l1'], reason: 'first' })();
  expect(first.status).toBe(200);
  const reused = await idempotentPost(path, AUTH.agent, key, { reason: 'the whole order' })();
  expect(reused.status).toBe(422);
  expect(reused.body.type).toBe('/problems/idempotency-key-reused');
  const view = (await api().get(`/v1/orders/${order.orderId}`).set(AUTH.agent)).body as OrderView;
  expect(view.lines.map((line) => line.status)).toEqual(['cancelled', 'reserved']);
});

test('a shipment retried with its Idempotency-Key answers the same tracking number; a plain repeat is a 409', async () => {
  const order = await placeConfirmedOrder();
  const fulfillmentId = order.fulfillments[0]!.fulfillmentId;
  const path = `/v1/fulfillments/${fulfillmentId}/ship`;
  const ship = idempotentPost(path, AUTH.node, `ship-${fulfillmentId}`, {});
  const first = await ship();
  const retried = await ship();
  expect(first.status).toBe(200);
  expect(first.body.trackingNumber).toEqual(expect.any(String));
  expect(retried.status).toBe(200);
  expect(retried.body).toEqual(first.body);
  expect((await api().post(path).set(AUTH.node).send({})).status).toBe(409);
});

test('a return and its receipt retried with their Idempotency-Keys open one RMA and restock once', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  await env.listProduct(sku, { name: 'Coat', priceMinor: 4500, returnWindowDays: 30 });
  const order = await placeConfirmedOrder(sku);
  const fulfillmentId = order.fulfillments[0]!.fulfillmentId;
  const shipped = await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node).send({});
  expect(shipped.status).toBe(200);
  const delivered = await api()
    .post('/v1/webhooks/carrier')
    .set(AUTH.carrier)
    .send({ trackingNumber: shipped.body.trackingNumber, event: 'delivered', at: new Date().toISOString() });
  expect(delivered.status).toBe(202);
  await waitForStatus(order.orderId, 'completed');

  const requestReturn = idempotentPost(
    `/v1/orders/${order.orderId}/returns`,
    AUTH.channel,
    `return-${order.orderId}`,
    { lines: [{ lineId: 'l1', quantity: 1, reason: 'wrong_size' }], method: 'store' },
  );
  const opened = await requestReturn();
  const reopened = await requestReturn();
  expect(opened.status).toBe(201);
  expect(opened.headers.location).toBe(`/v1/returns/${opened.body.rmaId}`);
  expect(reopened.status).toBe(201);
  expect(reopened.body.rmaId).toBe(opened.body.rmaId);
  expect(reopened.headers.location).toBe(opened.headers.location);

  const before = (await env.stock.getRecord(sku, 'ST-MARSEILLE'))?.onHand ?? 0;
  const receive = idempotentPost(`/v1/returns/${opened.body.rmaId}/receive`, AUTH.node, 'receipt-1', {
    nodeId: 'ST-MARSEILLE',
    lines: [{ lineId: 'l1', quantity: 1, condition: 'sellable' }],
  });
  const received = await receive();
  const receivedAgain = await receive();
  expect([received.status, receivedAgain.status]).toEqual([200, 200]);
  expect(receivedAgain.body).toEqual(received.body);
  expect((await env.stock.getRecord(sku, 'ST-MARSEILLE'))?.onHand).toBe(before + 1);

  const view = await waitForRefund(order.orderId);
  expect((view.returns as { rmaId: string }[]).map((rma) => rma.rmaId)).toEqual([opened.body.rmaId]);
  expect(view.payment.refundedMinor).toBe(4500);
  expect((await env.moneyMoved(order.orderId)).refund).toBe(4500);
});
