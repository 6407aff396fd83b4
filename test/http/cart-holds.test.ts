import { NativeConnection, type Worker } from '@temporalio/worker';
import request from 'supertest';
import { createActivities } from '../../activities';
import { createSimulatedCarrier } from '../../src/carriers/simulated-carrier';
import { createSimulatedPaymentGateway } from '../../src/payments/simulated-payment-gateway';
import { createOrderWorker } from '../../src/worker/create-order-worker';
import { bundleTestWorkflows, installQuietRuntime } from '../support/quiet-temporal';
import { temporalAddress } from '../support/servers';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

let gateway: GatewayHarness;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const runId = Date.now().toString(36);
let holdCounter = 0;
const node = {
  name: 'Paris',
  type: 'warehouse',
  location: { lat: 48.85, lon: 2.35, postalCode: '75001', country: 'FR' },
  capabilities: ['ship'],
};
const product = { name: 'Tee', priceMinor: 2900, currency: 'EUR', weightGrams: 200 };
const nextHoldId = (): string => `h-${runId}-${++holdCounter}`;

beforeAll(async () => {
  installQuietRuntime();
  gateway = await startGatewayHarness('cart_holds');
  connection = await NativeConnection.connect({ address: temporalAddress() });
  worker = await createOrderWorker({
    connection,
    taskQueue: gateway.config.taskQueue,
    activities: createActivities({
      collections: gateway.collections,
      payment: createSimulatedPaymentGateway({ ledger: gateway.collections.inventory.db.collection('pay') }),
      carrier: createSimulatedCarrier(),
      config: gateway.config,
    }),
    workflowBundle: await bundleTestWorkflows(),
  });
  running = worker.run();
  await request(gateway.app).put('/v1/nodes/PARIS').set(AUTH.admin).send(node);
  await request(gateway.app).put('/v1/products/TEE').set(AUTH.admin).send(product);
  const stocked = await request(gateway.app)
    .put('/v1/inventory/TEE/PARIS')
    .set(AUTH.admin)
    .send({ onHand: 5 });
  expect(stocked.status).toBe(200);
}, 120_000);

afterAll(async () => {
  worker.shutdown();
  await running;
  await connection.close();
  await gateway.close();
}, 60_000);

const api = () => request(gateway.app);
const holdBody = (quantity: number) => ({
  holdId: nextHoldId(),
  channel: 'web',
  lines: [{ lineId: 'l1', sku: 'TEE', quantity }],
  nodeId: 'PARIS',
  ttlSeconds: 600,
});

test('a hold is answered 201 once its lines are reserved, and can be read back', async () => {
  const body = holdBody(2);
  const created = await api().post('/v1/cart-holds').set(AUTH.channel).send(body);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ holdId: body.holdId, status: 'active' });
  const read = await api().get(`/v1/cart-holds/${body.holdId}`).set(AUTH.channel);
  expect(read.body).toMatchObject({ holdId: body.holdId, status: 'active' });
  const released = await api().delete(`/v1/cart-holds/${body.holdId}`).set(AUTH.channel);
  expect(released.body).toMatchObject({ status: 'released' });
  const stock = await api().get('/v1/inventory/TEE/PARIS').set(AUTH.admin);
  expect(stock.body).toMatchObject({ reserved: 0, available: 5 });
});

test('a hold for more than the node has is a 409', async () => {
  const response = await api().post('/v1/cart-holds').set(AUTH.channel).send(holdBody(50));
  expect(response.status).toBe(409);
});

test('a TTL beyond an hour is a 422', async () => {
  const response = await api()
    .post('/v1/cart-holds')
    .set(AUTH.channel)
    .send({ ...holdBody(1), ttlSeconds: 7200 });
  expect(response.status).toBe(422);
});

test('a carrier key may not hold stock', async () => {
  const response = await api().post('/v1/cart-holds').set(AUTH.carrier).send(holdBody(1));
  expect(response.status).toBe(403);
});

test('an unknown hold is a 404', async () => {
  const response = await api().get(`/v1/cart-holds/nope-${runId}`).set(AUTH.channel);
  expect(response.status).toBe(404);
});

test('a POST retried with the same Idempotency-Key gets the first answer and holds the stock once', async () => {
  const body = holdBody(1);
  const key = `hold-key-${body.holdId}`;
  const first = await api().post('/v1/cart-holds').set(AUTH.channel).set('Idempotency-Key', key).send(body);
  const retry = await api().post('/v1/cart-holds').set(AUTH.channel).set('Idempotency-Key', key).send(body);
  expect(first.status).toBe(201);
  expect(retry.status).toBe(201);
  expect(retry.body).toEqual(first.body);
  const stock = await api().get('/v1/inventory/TEE/PARIS').set(AUTH.admin);
  expect(stock.body).toMatchObject({ reserved: 1 });
  await api().delete(`/v1/cart-holds/${body.holdId}`).set(AUTH.channel);
});

test('the same Idempotency-Key with another body is a 422', async () => {
  const body = holdBody(1);
  const key = `hold-key-${body.holdId}`;
  await api().post('/v1/cart-holds').set(AUTH.channel).set('Idempotency-Key', key).send(body);
  const other = await api()
    .post('/v1/cart-holds')
    .set(AUTH.channel)
    .set('Idempotency-Key', key)
    .send({ ...body, ttlSeconds: 300 });
  expect(other.status).toBe(422);
  await api().delete(`/v1/cart-holds/${body.holdId}`).set(AUTH.channel);
});
