import request from 'supertest';
import { AUTH, orderBody, startGatewayHarness, type GatewayHarness } from './gateway-harness';

// The agent routes over a gateway whose task queue no worker polls: what the gateway itself decides
// (roles, validation, unknown orders, no answer in time). The workflow's own answers are in
// test/http/order-changes.test.ts.
let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness('order_changes_routes', { updateTimeoutMs: 500 });
});

afterAll(async () => {
  await gateway.close();
});

async function placedOrder(): Promise<string> {
  const orderId = gateway.newOrderId();
  await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(orderBody(orderId)).expect(201);
  return orderId;
}

describe('POST /v1/orders/{orderId}/cancel', () => {
  it('needs a reason (422 with the path)', async () => {
    const response = await request(gateway.app).post('/v1/orders/O-1/cancel').set(AUTH.agent).send({});
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'reason' })]),
    );
  });

  it('refuses unknown fields and repeated line ids (422)', async () => {
    const unknown = await request(gateway.app)
      .post('/v1/orders/O-1/cancel')
      .set(AUTH.agent)
      .send({ reason: 'changed mind', refund: true });
    expect(unknown.status).toBe(422);
    const repeated = await request(gateway.app)
      .post('/v1/orders/O-1/cancel')
      .set(AUTH.agent)
      .send({ reason: 'changed mind', lineIds: ['l1', 'l1'] });
    expect(repeated.status).toBe(422);
  });

  it('answers 404 for an order that does not exist', async () => {
    const response = await request(gateway.app)
      .post(`/v1/orders/${gateway.newOrderId()}/cancel`)
      .set(AUTH.channel)
      .send({ reason: 'changed mind' });
    expect(response.status).toBe(404);
  });

  it('answers 503 when the order workflow does not answer in time', async () => {
    const orderId = await placedOrder();
    const response = await request(gateway.app)
      .post(`/v1/orders/${orderId}/cancel`)
      .set(AUTH.channel)
      .send({ reason: 'changed mind' });
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('is refused to carriers (403)', async () => {
    const response = await request(gateway.app)
      .post('/v1/orders/O-1/cancel')
      .set(AUTH.carrier)
      .send({ reason: 'x' });
    expect(response.status).toBe(403);
  });
});

describe('PATCH /v1/orders/{orderId}', () => {
  it('is for agents: a channel key gets 403', async () => {
    const response = await request(gateway.app)
      .patch('/v1/orders/O-1')
      .set(AUTH.channel)
      .send({ lines: [{ lineId: 'l1', quantity: 1 }] });
    expect(response.status).toBe(403);
  });

  it('needs an address or lines (422)', async () => {
    const response = await request(gateway.app).patch('/v1/orders/O-1').set(AUTH.agent).send({});
    expect(response.status).toBe(422);
  });

  it('refuses a negative quantity and an address without a country code (422)', async () => {
    const negative = await request(gateway.app)
      .patch('/v1/orders/O-1')
      .set(AUTH.agent)
      .send({ lines: [{ lineId: 'l1', quantity: -1 }] });
    expect(negative.status).toBe(422);
    const badAddress = await request(gateway.app)
      .patch('/v1/orders/O-1')
      .set(AUTH.agent)
      .send({ address: { line1: '1 rue', city: 'Lyon', postalCode: '69001', country: 'France' } });
    expect(badAddress.status).toBe(422);
  });
});

describe('holds', () => {
  it('placing one needs a reason and an agent', async () => {
    expect((await request(gateway.app).post('/v1/orders/O-1/holds').set(AUTH.agent).send({})).status).toBe(
      422,
    );
    expect(
      (await request(gateway.app).post('/v1/orders/O-1/holds').set(AUTH.channel).send({ reason: 'x' }))
        .status,
    ).toBe(403);
  });

  it('releasing one takes an empty body', async () => {
    const response = await request(gateway.app)
      .post(`/v1/orders/${gateway.newOrderId()}/holds/release`)
      .set(AUTH.agent);
    expect(response.status).toBe(404);
  });
});

describe('POST /v1/fulfillments/{fulfillmentId}/resolve', () => {
  it('takes only reship or refund (422), from agents (403 for node staff)', async () => {
    const bad = await request(gateway.app)
      .post('/v1/fulfillments/F-1/resolve')
      .set(AUTH.agent)
      .send({ action: 'shrug' });
    expect(bad.status).toBe(422);
    const node = await request(gateway.app)
      .post('/v1/fulfillments/F-1/resolve')
      .set(AUTH.node)
      .send({ action: 'reship' });
    expect(node.status).toBe(403);
  });

  it('answers 404 for a fulfilment that does not exist', async () => {
    const response = await request(gateway.app)
      .post('/v1/fulfillments/NOPE/resolve')
      .set(AUTH.agent)
      .send({ action: 'refund' });
    expect(response.status).toBe(404);
  });
});

it('the OpenAPI document lists the agent operations', async () => {
  const response = await request(gateway.app).get('/openapi.json');
  const paths = response.body.paths as Record<string, Record<string, unknown>>;
  expect(Object.keys(paths['/v1/orders/{orderId}']!)).toEqual(expect.arrayContaining(['get', 'patch']));
  expect(paths['/v1/orders/{orderId}/cancel']).toHaveProperty('post');
  expect(paths['/v1/orders/{orderId}/holds']).toHaveProperty('post');
  expect(paths['/v1/orders/{orderId}/holds/release']).toHaveProperty('post');
  expect(paths['/v1/fulfillments/{fulfillmentId}/resolve']).toHaveProperty('post');
});
