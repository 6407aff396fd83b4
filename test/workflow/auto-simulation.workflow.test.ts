import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import { DEV_API_KEYS, loadConfig } from '../../src/config';
import type { OrderView } from '../../src/domain/order-view';
import { carrierEventSignal, orderWorkflowId, shipFulfillmentUpdate } from '../../workflows/order.messages';
import { OrderTestEnv } from './support/order-test-env';
import { recordHistoryIfAsked } from './support/record-history';

// A stand-in for the gateway's two routes the simulation calls, so this test exercises only the worker side.
const env = new OrderTestEnv('auto-simulation');
const calls: { path: string; key: string | undefined; body: Record<string, unknown> }[] = [];
let server: Server;
let worker: Worker;

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

async function route(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const body = await readJson(request);
  const path = request.url ?? '';
  calls.push({ path, key: request.headers.authorization?.replace('Bearer ', ''), body });
  const ship = /^\/v1\/fulfillments\/([^/]+)\/ship$/.exec(path);
  if (ship) {
    const fulfillment = await env.collections.fulfillments.findOne({ _id: decodeURIComponent(ship[1]!) });
    if (!fulfillment) return { status: 404, body: {} };
    const result = await env.client.workflow
      .getHandle(orderWorkflowId(fulfillment.orderId))
      .executeUpdate(shipFulfillmentUpdate, {
        args: [{ fulfillmentId: fulfillment._id, actor: 'node:sim' }],
      });
    return { status: 200, body: result };
  }
  if (path === '/v1/webhooks/carrier') {
    const shipment = await env.collections.shipments.findOne({ _id: String(body.trackingNumber) });
    if (!shipment) return { status: 404, body: {} };
    await env.client.workflow.getHandle(orderWorkflowId(shipment.orderId)).signal(carrierEventSignal, {
      trackingNumber: shipment._id,
      fulfillmentId: shipment.fulfillmentId,
      event: body.event as 'in_transit' | 'delivered',
      at: String(body.at),
    });
    return { status: 202, body: { accepted: true } };
  }
  return { status: 404, body: {} };
}

beforeAll(async () => {
  await env.setUp();
  server = createServer((request, response) => {
    route(request).then(
      ({ status, body }) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = await env.startWorker({ config: { ...loadConfig({ OMS_API_KEYS: DEV_API_KEYS }), gatewayUrl } });
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
  const trackingNumber = final.fulfillments[0]?.trackingNumber;
  expect(calls.map(({ path, key, body }) => [path, key, body.event])).toEqual([
    [`/v1/fulfillments/${order.orderId}-F1/ship`, 'dev-node-key', undefined],
    ['/v1/webhooks/carrier', 'dev-carrier-key', 'in_transit'],
    ['/v1/webhooks/carrier', 'dev-carrier-key', 'delivered'],
  ]);
  expect(calls[1]?.body.trackingNumber).toBe(trackingNumber);
  await recordHistoryIfAsked(handle, 'order-auto-simulation');
  await recordHistoryIfAsked(
    env.client.workflow.getHandle(`sim:${order.orderId}-F1`),
    'simulate-fulfillment',
  );
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
