import request from 'supertest';
import type { OrderStatus } from '../../src/domain/order-view';
import { OrderTestEnv } from '../workflow/support/order-test-env';
import { AUTH } from './gateway-harness';
import { gatewayOverWorker, waitForStatusOverHttp } from './gateway-over-worker';

// The gateway in front of a real worker: an order placed over HTTP goes all the way to completed.
const env = new OrderTestEnv('http-lifecycle');
const gateway = gatewayOverWorker(env);

const waitForStatus = (orderId: string, status: OrderStatus) =>
  waitForStatusOverHttp(gateway.app, orderId, status);

it('reports ready once a worker polls the task queue', async () => {
  const response = await request(gateway.app).get('/readyz');
  expect(response.status).toBe(200);
});

it('takes an order from POST to completed through the HTTP routes', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const order = env.orderRequest(sku);
  const placed = await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(order);
  expect(placed.status).toBe(201);

  const confirmed = await waitForStatus(order.orderId, 'confirmed');
  const [fulfillment] = confirmed.fulfillments as { fulfillmentId: string }[];
  expect(fulfillment).toBeDefined();

  const shipped = await request(gateway.app)
    .post(`/v1/fulfillments/${fulfillment!.fulfillmentId}/ship`)
    .set(AUTH.node)
    .send({});
  expect(shipped.status).toBe(200);
  expect(shipped.body).toMatchObject({
    fulfillmentId: fulfillment!.fulfillmentId,
    trackingNumber: expect.any(String),
  });

  const again = await request(gateway.app)
    .post(`/v1/fulfillments/${fulfillment!.fulfillmentId}/ship`)
    .set(AUTH.node);
  expect(again.status).toBe(409);
  expect(again.body.detail).toEqual(expect.any(String));

  const delivered = await request(gateway.app)
    .post('/v1/webhooks/carrier')
    .set(AUTH.carrier)
    .send({ trackingNumber: shipped.body.trackingNumber, event: 'delivered', at: new Date().toISOString() });
  expect(delivered.status).toBe(202);

  const completed = await waitForStatus(order.orderId, 'completed');
  expect(completed.payment).toMatchObject({ status: 'captured', capturedMinor: 9000 });

  const listed = await request(gateway.app)
    .get('/v1/orders')
    .query({ email: 'ada@example.com' })
    .set(AUTH.agent);
  expect(listed.body.items.map((item: { orderId: string }) => item.orderId)).toContain(order.orderId);
});
