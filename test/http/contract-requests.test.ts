import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/gateway/app';
import { API_ROUTES } from '../../src/gateway/routes';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

// CONTRACT.md, "Requests and errors" and the resource sections: what every route does with a request it
// cannot serve, and the headers of created resources and replayed writes.
let gateway: GatewayHarness;
const api = () => request(gateway.app);

beforeAll(async () => {
  gateway = await startGatewayHarness('contract_requests');
});

afterAll(async () => {
  await gateway.close();
});

const PATH_VALUES: Record<string, string> = { pool: 'channel:web' };
const concretePath = (path: string): string =>
  path.replace(/\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => PATH_VALUES[name] ?? `${name}-1`);

describe('unknown body fields', () => {
  const routesWithBody = API_ROUTES.filter((route) => route.body !== undefined);

  it.each(routesWithBody.map((route) => [route.method, route.path, route] as const))(
    '%s %s answers 422 naming the field in errors[]',
    async (_method, _path, route) => {
      const role = route.roles[0]!;
      const call = api()[route.method](concretePath(route.path));
      const response = await call.set(AUTH[role]).send({ notInTheContract: 1 });
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toContainEqual({ path: 'notInTheContract', message: 'unknown field' });
    },
  );
});

describe('unknown ids', () => {
  const cases = [
    ['PATCH an order', 'patch', '/v1/orders/nobody-ordered-this', AUTH.agent, { speed: 'express' }],
    ['put an order on hold', 'post', '/v1/orders/nobody-ordered-this/holds', AUTH.agent, { reason: 'x' }],
    ['release a hold', 'post', '/v1/orders/nobody-ordered-this/holds/release', AUTH.agent, {}],
    [
      'grant an appeasement',
      'post',
      '/v1/orders/nobody-ordered-this/appeasements',
      AUTH.agent,
      { amountMinor: 100, reasonCode: 'late_delivery' },
    ],
    ['mark a fulfilment ready', 'post', '/v1/fulfillments/no-such-f/ready', AUTH.node, {}],
    ['record a pickup', 'post', '/v1/fulfillments/no-such-f/picked-up', AUTH.node, {}],
    ['read a node', 'get', '/v1/nodes/NO-SUCH-NODE', AUTH.admin, undefined],
    ['read a stock record', 'get', '/v1/inventory/NO-SUCH-SKU/NO-SUCH-NODE', AUTH.admin, undefined],
  ] as const;

  it.each(cases)('%s: 404 problem+json', async (_name, method, path, auth, body) => {
    const call = api()[method](path).set(auth);
    const response = body === undefined ? await call : await call.send(body);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: '/problems/not-found', status: 404 });
    expect(response.body.detail).toEqual(expect.any(String));
  });
});

describe('created resources', () => {
  it('PUT /v1/nodes/{nodeId} answers 201 with the Location of the node, then 200', async () => {
    const node = {
      name: 'Lille store',
      type: 'store',
      location: { lat: 50.63, lon: 3.06, postalCode: '59000', country: 'FR' },
      capabilities: ['ship', 'return'],
    };
    const created = await api().put('/v1/nodes/ST-LILLE').set(AUTH.admin).send(node);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/v1/nodes/ST-LILLE');
    expect((await api().get(created.headers.location!).set(AUTH.admin)).body.name).toBe('Lille store');
    expect((await api().put('/v1/nodes/ST-LILLE').set(AUTH.admin).send(node)).status).toBe(200);
  });

  it('PUT /v1/products/{sku} answers 201 with the Location of the product', async () => {
    const product = { name: 'Scarf', priceMinor: 9000, currency: 'EUR', weightGrams: 100 };
    const created = await api().put('/v1/products/SCARF-LOC').set(AUTH.admin).send(product);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/v1/products/SCARF-LOC');
    expect((await api().get(created.headers.location!).set(AUTH.admin)).body.priceMinor).toBe(9000);
  });
});

describe('Idempotency-Key', () => {
  const paymentEvent = (eventId: string) => ({
    eventId,
    type: 'authorized',
    orderId: 'order-not-running',
    amountMinor: 1000,
    at: '2026-11-23T10:00:00Z',
  });

  it('a payment webhook retried with its key gets the first answer again, marked as replayed', async () => {
    const send = () =>
      api()
        .post('/v1/webhooks/payment')
        .set(AUTH.payment)
        .set('Idempotency-Key', 'evt-key-1')
        .send(paymentEvent('evt-idem-1'));
    const first = await send();
    const again = await send();
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('a payment webhook key reused with another body is a 422', async () => {
    const send = (eventId: string) =>
      api()
        .post('/v1/webhooks/payment')
        .set(AUTH.payment)
        .set('Idempotency-Key', 'evt-key-2')
        .send(paymentEvent(eventId));
    expect((await send('evt-idem-2')).status).toBe(202);
    const reused = await send('evt-idem-3');
    expect(reused.status).toBe(422);
    expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('is kept per API key: another caller choosing the same key gets its own answer', async () => {
    const app = createApp({
      config: loadConfig({ NODE_ENV: 'test', OMS_API_KEYS: 'web-key:channel,app-key:channel' }),
      collections: gateway.collections,
      temporal: gateway.temporal,
      logger: pino({ level: 'silent' }),
    });
    const ask = (apiKey: string) =>
      request(app)
        .post('/v1/availability/delivery-options')
        .set('Authorization', `Bearer ${apiKey}`)
        .set('Idempotency-Key', 'cart-1')
        .send({
          lines: [{ sku: 'SKU-X', quantity: 1 }],
          destination: { postalCode: '75001', country: 'FR' },
        });
    const web = await ask('web-key');
    const app2 = await ask('app-key');
    const webAgain = await ask('web-key');
    expect([web.status, app2.status, webAgain.status]).toEqual([200, 200, 200]);
    expect(web.headers['idempotent-replayed']).toBeUndefined();
    expect(app2.headers['idempotent-replayed']).toBeUndefined();
    expect(webAgain.headers['idempotent-replayed']).toBe('true');
  });

  it('a key that is not 1-200 visible ASCII characters is a 422 on the header', async () => {
    const response = await api()
      .post('/v1/inventory/adjustments')
      .set(AUTH.admin)
      .set('Idempotency-Key', 'x'.repeat(201))
      .send({ sku: 'SKU-X', nodeId: 'N-X', delta: 1, reason: 'count' });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('Idempotency-Key');
  });
});
