import request from 'supertest';
import type { OrderView } from '../../src/domain/order-view';
import { OrderTestEnv } from '../workflow/support/order-test-env';
import { AUTH } from './gateway-harness';
import { gatewayOverWorker } from './gateway-over-worker';

// The agent routes in front of a real worker: the answers (200 view, 409, 422) are the workflow's own.
const env = new OrderTestEnv('http-order-changes');
const gateway = gatewayOverWorker(env);

async function placeConfirmedOrder(units: Record<string, number> = { 'WH-LYON': 5 }): Promise<OrderView> {
  const sku = await env.stockSku(units);
  const order = env.orderRequest(sku, {
    lines: [
      { lineId: 'l1', sku, quantity: 2, unitPriceMinor: 4500 },
      { lineId: 'l2', sku, quantity: 1, unitPriceMinor: 1000 },
    ],
  });
  expect((await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(order)).status).toBe(201);
  for (let attempt = 0; attempt < 150; attempt++) {
    const view = (await request(gateway.app).get(`/v1/orders/${order.orderId}`).set(AUTH.agent))
      .body as OrderView;
    if (view.status === 'confirmed') return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the order was not confirmed');
}

test('a channel cancels one line: 200 with the view, the line cancelled, its share voided', async () => {
  const order = await placeConfirmedOrder();
  const response = await request(gateway.app)
    .post(`/v1/orders/${order.orderId}/cancel`)
    .set(AUTH.channel)
    .send({ lineIds: ['l2'], reason: 'changed mind' });
  expect(response.status).toBe(200);
  expect(response.body.lines.map((l: { status: string }) => l.status)).toEqual(['reserved', 'cancelled']);
  expect(response.body.payment).toMatchObject({ voidedMinor: 1000 });
});

test('a line the order does not have is the workflow’s 422; cancelling it twice its 409', async () => {
  const order = await placeConfirmedOrder();
  const unknown = await request(gateway.app)
    .post(`/v1/orders/${order.orderId}/cancel`)
    .set(AUTH.agent)
    .send({ lineIds: ['l9'], reason: 'typo' });
  expect(unknown.status).toBe(422);
  expect(unknown.body.detail).toMatch(/no line l9/);
  await request(gateway.app)
    .post(`/v1/orders/${order.orderId}/cancel`)
    .set(AUTH.agent)
    .send({ lineIds: ['l2'], reason: 'x' })
    .expect(200);
  const again = await request(gateway.app)
    .post(`/v1/orders/${order.orderId}/cancel`)
    .set(AUTH.agent)
    .send({ lineIds: ['l2'], reason: 'x' });
  expect(again.status).toBe(409);
  expect(again.body.type).toBe('/problems/not-allowed-in-state');
});

test('an agent lowers a quantity with PATCH; more than the network has is a 409 insufficient-stock', async () => {
  const order = await placeConfirmedOrder({ 'WH-LYON': 3 });
  const lower = await request(gateway.app)
    .patch(`/v1/orders/${order.orderId}`)
    .set(AUTH.agent)
    .send({ lines: [{ lineId: 'l1', quantity: 1 }] });
  expect(lower.status).toBe(200);
  expect(lower.body.lines[0]).toMatchObject({ quantity: 1 });
  const more = await request(gateway.app)
    .patch(`/v1/orders/${order.orderId}`)
    .set(AUTH.agent)
    .send({ lines: [{ lineId: 'l1', quantity: 9 }] });
  expect(more.status).toBe(409);
  expect(more.body.type).toBe('/problems/insufficient-stock');
});

test('holds: placed (200, on_hold), placed again (409), released (200, confirmed again)', async () => {
  const order = await placeConfirmedOrder();
  const held = await request(gateway.app)
    .post(`/v1/orders/${order.orderId}/holds`)
    .set(AUTH.agent)
    .send({ reason: 'fraud check' });
  expect(held.status).toBe(200);
  expect(held.body).toMatchObject({ status: 'on_hold', hold: { kind: 'manual', reason: 'fraud check' } });
  expect(
    (
      await request(gateway.app)
        .post(`/v1/orders/${order.orderId}/holds`)
        .set(AUTH.agent)
        .send({ reason: 'again' })
    ).status,
  ).toBe(409);
  const released = await request(gateway.app)
    .post(`/v1/orders/${order.orderId}/holds/release`)
    .set(AUTH.agent)
    .send({});
  expect(released.status).toBe(200);
  expect(released.body.status).toBe('confirmed');
});

test('resolving a fulfilment that is not in exception is the workflow’s 409', async () => {
  const order = await placeConfirmedOrder();
  const response = await request(gateway.app)
    .post(`/v1/fulfillments/${order.fulfillments[0]!.fulfillmentId}/resolve`)
    .set(AUTH.agent)
    .send({ action: 'reship' });
  expect(response.status).toBe(409);
  expect(response.body.detail).toMatch(/only a parcel in exception/);
});

test('the whole order cancelled: 200 cancelled; any change afterwards is a 409 for a closed order', async () => {
  const order = await placeConfirmedOrder();
  const cancelled = await request(gateway.app)
    .post(`/v1/orders/${order.orderId}/cancel`)
    .set(AUTH.channel)
    .send({ reason: 'duplicate order' });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body).toMatchObject({ status: 'cancelled', payment: { status: 'voided' } });
  const after = await request(gateway.app)
    .post(`/v1/orders/${order.orderId}/holds`)
    .set(AUTH.agent)
    .send({ reason: 'late' });
  expect(after.status).toBe(409);
});
