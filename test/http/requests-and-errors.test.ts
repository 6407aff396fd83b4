import pino from 'pino';
import request from 'supertest';
import type { Collections } from '../../src/db/collections';
import { createApp } from '../../src/gateway/app';
import { AUTH, orderBody, startGatewayHarness, type GatewayHarness } from './gateway-harness';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness('errors');
});

afterAll(async () => {
  await gateway.close();
});

const node = {
  name: 'Paris warehouse',
  type: 'warehouse',
  location: { lat: 48.85, lon: 2.35, postalCode: '75001', country: 'FR' },
  capabilities: ['ship'],
};

describe('authentication and roles', () => {
  it('answers 401 when no API key is sent', async () => {
    const response = await request(gateway.app).get('/v1/nodes');
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('/problems/unauthorized');
  });

  it('answers 401 for a key it does not know', async () => {
    const response = await request(gateway.app).get('/v1/nodes').set('Authorization', 'Bearer not-a-key');
    expect(response.status).toBe(401);
  });

  it('answers 401 when the Authorization header is not a Bearer token', async () => {
    const response = await request(gateway.app).get('/v1/nodes').set('Authorization', 'Basic ZGV2OmRldg==');
    expect(response.status).toBe(401);
  });

  it('answers 403 when a channel key tries to change the network', async () => {
    const response = await request(gateway.app).put('/v1/nodes/N1').set(AUTH.channel).send(node);
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain('channel');
  });

  it('answers 403 when a carrier key tries to place an order', async () => {
    const response = await request(gateway.app)
      .post('/v1/orders')
      .set(AUTH.carrier)
      .send(orderBody(gateway.newOrderId()));
    expect(response.status).toBe(403);
  });
});

describe('validation', () => {
  it('rejects an unknown body field with 422 and names it in errors[].path', async () => {
    const response = await request(gateway.app)
      .post('/v1/orders')
      .set(AUTH.channel)
      .send({ ...orderBody(gateway.newOrderId()), giftWrap: true });
    expect(response.status).toBe(422);
    expect(response.body.errors).toContainEqual({ path: 'giftWrap', message: 'unknown field' });
  });

  it('rejects an unknown field deep inside the body with its full path', async () => {
    const body = orderBody(gateway.newOrderId());
    body.customer = { id: 'c', email: 'c@example.com', vip: true };
    const response = await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(body);
    expect(response.status).toBe(422);
    expect(response.body.errors).toContainEqual({ path: 'customer.vip', message: 'unknown field' });
  });

  it('rejects a negative quantity with 422 on lines.0.quantity', async () => {
    const body = orderBody(gateway.newOrderId());
    body.lines = [{ lineId: 'l1', sku: 'SKU-1', quantity: -1, unitPriceMinor: 100 }];
    const response = await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(body);
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual(['lines.0.quantity']);
  });

  it('rejects a fractional price with 422', async () => {
    const body = orderBody(gateway.newOrderId());
    body.lines = [{ lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPriceMinor: 12.5 }];
    const response = await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(body);
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('lines.0.unitPriceMinor');
  });

  it('rejects an unknown query parameter with 422', async () => {
    const response = await request(gateway.app).get('/v1/orders?colour=red').set(AUTH.agent);
    expect(response.status).toBe(422);
    expect(response.body.errors).toContainEqual({ path: 'colour', message: 'unknown field' });
  });

  it('rejects a path parameter that is not an identifier with 422', async () => {
    const response = await request(gateway.app).get('/v1/nodes/a.b').set(AUTH.admin);
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('nodeId');
  });
});

describe('problem answers', () => {
  it('answers 400 problem+json for malformed JSON', async () => {
    const response = await request(gateway.app)
      .post('/v1/orders')
      .set(AUTH.channel)
      .set('Content-Type', 'application/json')
      .send('{"orderId": ');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, title: 'Malformed JSON' });
  });

  it('answers 413 for a body over the size limit', async () => {
    const response = await request(gateway.app)
      .put('/v1/products/BIG')
      .set(AUTH.admin)
      .send({ name: 'x'.repeat(300 * 1024), priceMinor: 1, currency: 'EUR', weightGrams: 1 });
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await request(gateway.app)
      .post('/v1/inventory/adjustments')
      .set(AUTH.admin)
      .set('Content-Type', 'text/plain')
      .send('sku=A');
    expect(response.status).toBe(415);
  });

  it('gives every problem type, title, status and detail, and never a stack', async () => {
    const response = await request(gateway.app)
      .post('/v1/orders')
      .set(AUTH.channel)
      .send({ ...orderBody(gateway.newOrderId()), extra: 1 });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual(
      expect.objectContaining({
        type: expect.any(String),
        title: expect.any(String),
        status: 422,
        detail: expect.any(String),
      }),
    );
    expect(JSON.stringify(response.body)).not.toMatch(/stack|at Object\.|\.ts:\d+/);
  });

  it('answers 404 problem for a route that does not exist', async () => {
    const response = await request(gateway.app).get('/v1/unicorns').set(AUTH.admin);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const response = await request(gateway.app).delete('/v1/nodes/N1').set(AUTH.admin);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('PUT, GET');
  });

  it('echoes a request id that the problem body quotes too', async () => {
    const response = await request(gateway.app)
      .get('/v1/unicorns')
      .set(AUTH.admin)
      .set('X-Request-Id', 'req-42');
    expect(response.headers['x-request-id']).toBe('req-42');
    expect(response.body.requestId).toBe('req-42');
  });
});

describe('unexpected failures', () => {
  it('answers 500 with a generic detail and keeps the driver message out of the body', async () => {
    const failingNodes = {
      find: () => {
        throw new Error('connection 7 to 10.0.0.5:27017 closed');
      },
    } as unknown as Collections['nodes'];
    const app = createApp({
      config: gateway.config,
      collections: { ...gateway.collections, nodes: failingNodes },
      temporal: gateway.temporal,
      logger: pino({ level: 'silent' }),
    });
    const response = await request(app).get('/v1/nodes').set(AUTH.admin);
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(response.body)).not.toContain('10.0.0.5');
    expect(response.body.detail).toMatch(/logged/);
  });
});
