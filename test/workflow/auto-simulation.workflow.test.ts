import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import pino from 'pino';
import { DEV_API_KEYS, loadConfig } from '../../src/config';
import type { OrderView } from '../../src/domain/order-view';
import { createApp } from '../../src/gateway/app';
import { OrderTestEnv } from './support/order-test-env';
import { recordHistoryIfAsked } from './support/record-history';

// The worker's auto simulation against the real gateway on a port: node staff and carrier act over HTTP.
const env = new OrderTestEnv('auto-simulation');
const calls: { method: string; path: string; key: string | undefined; event: unknown }[] = [];
let server: Server;
let worker: Worker;

beforeAll(async () => {
  await env.setUp();
  const config = loadConfig({
    OMS_API_KEYS: DEV_API_KEYS,
    TEMPORAL_TASK_QUEUE: env.taskQueue,
    OMS_RETURN_WINDOW_DAYS: '0', // the completed order closes at once
    LOG_LEVEL: 'silent',
  });
  const app = createApp({
    config,
    collections: env.collections,
    temporal: env.client,
    logger: pino({ level: 'silent' }),
  });
  server = createServer((request, response) => {
    response.on('finish', () => {
      const body = (request as { body?: Record<string, unknown> }).body;
      calls.push({
        method: request.method ?? '',
        path: request.url ?? '',
        key: request.headers.authorization?.replace('Bearer ', ''),
        event: body?.event,
      });
    });
    app(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = await env.startWorker({ config: { ...config, gatewayUrl } });
}, 120_000);

afterAll(async () => {
  await env.stopWorker(worker);
  await new Promise((resolve) => server.close(resolve));
  await env.tearDown();
}, 60_000);

test('in auto simulation the order is shipped, tracked and delivered over HTTP by itself', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const order = env.orderRequest(sku);
  const handle = await env.startOrder(order, { simulation: 'auto', simStepMs: 50 });
  const final = (await handle.result()) as OrderView;

  expect(final.status).toBe('completed');
  expect(final.payment.capturedMinor).toBe(final.totalMinor);
  const writes = calls.filter((call) => call.method === 'POST');
  expect(writes.map(({ path, key, event }) => [path, key, event])).toEqual([
    [`/v1/fulfillments/${order.orderId}-F1/ship`, 'dev-node-key', undefined],
    ['/v1/webhooks/carrier', 'dev-carrier-key', 'in_transit'],
    ['/v1/webhooks/carrier', 'dev-carrier-key', 'delivered'],
  ]);
  expect(final.fulfillments[0]?.trackingNumber).toMatch(/^SIM/);
  await recordHistoryIfAsked(handle, 'order-v2-auto-simulation');
});

test('in manual simulation nothing moves the order after confirmation', async () => {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const handle = await env.startOrder(env.orderRequest(sku), { simulation: 'manual', simStepMs: 10 });
  await env.waitForStatus(handle, 'confirmed');
  const before = calls.length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(calls.length).toBe(before);
  await handle.terminate('test over');
});
