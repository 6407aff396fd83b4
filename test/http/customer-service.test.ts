import request from 'supertest';
import { AUTH, orderBody, startGatewayHarness, type GatewayHarness } from './gateway-harness';

// Endless aisle: an agent places an order for a customer (any channel, sourced from any node's stock by the
// order workflow) and is recorded as its author.
let gateway: GatewayHarness;
beforeAll(async () => {
  gateway = await startGatewayHarness('customer_service');
}, 60_000);
afterAll(() => gateway.close(), 30_000);

test('an agent places an order on behalf of a customer and is recorded as its author', async () => {
  const orderId = gateway.newOrderId();
  const response = await request(gateway.app)
    .post('/v1/orders')
    .set(AUTH.agent)
    .send({ ...orderBody(orderId), channel: 'call_center' });
  expect(response.status).toBe(201);
  expect(response.body).toMatchObject({ orderId, channel: 'call_center' });
  expect(response.body.timeline[0]).toMatchObject({
    type: 'received',
    actor: expect.stringMatching(/^agent:/),
  });
});

test('customer-service reads are for agents and admins only', async () => {
  for (const path of ['/v1/customers/c-1', '/v1/orders/search?q=c-1']) {
    expect((await request(gateway.app).get(path).set(AUTH.channel)).status).toBe(403);
    expect((await request(gateway.app).get(path)).status).toBe(401);
  }
});
