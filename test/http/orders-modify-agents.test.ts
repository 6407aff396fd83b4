import request from 'supertest';
import type { OrderRequest } from '../../src/domain/order-request';
import type { OrderView } from '../../src/domain/order-view';
import { OrderTestEnv } from '../workflow/support/order-test-env';
import { AUTH } from './gateway-harness';
import { gatewayOverWorker } from './gateway-over-worker';

// PATCH /v1/orders/{id} with added lines and a delivery speed, in front of a real worker: the gateway
// refuses malformed bodies itself (422), the rest is the order workflow's own answer (200, 409, 422).
const env = new OrderTestEnv('http-orders-modify-agents');
const gateway = gatewayOverWorker(env);

async function placeConfirmedOrder(overrides: Partial<OrderRequest> = {}): Promise<OrderView> {
  const sku = await env.stockSku({ 'WH-LYON': 5 });
  const order = env.orderRequest(sku, overrides);
  expect((await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(order)).status).toBe(201);
  for (let attempt = 0; attempt < 150; attempt++) {
    const view = (await request(gateway.app).get(`/v1/orders/${order.orderId}`).set(AUTH.agent))
      .body as OrderView;
    if (view.status === 'confirmed') return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the order was not confirmed');
}

const patch = (orderId: string, body: unknown) =>
  request(gateway.app)
    .patch(`/v1/orders/${orderId}`)
    .set(AUTH.agent)
    .send(body as object);

describe('the gateway refuses malformed changes (422)', () => {
  test.each([
    ['an added line without a SKU', { addLines: [{ quantity: 1, unitPriceMinor: 100 }] }],
    ['an added line of 0 units', { addLines: [{ sku: 'SKU-1', quantity: 0, unitPriceMinor: 100 }] }],
    ['a negative price', { addLines: [{ sku: 'SKU-1', quantity: 1, unitPriceMinor: -5 }] }],
    [
      'an unknown field on an added line',
      { addLines: [{ sku: 'SKU-1', quantity: 1, unitPriceMinor: 1, note: 'x' }] },
    ],
    [
      'two added lines with the same id',
      {
        addLines: [
          { lineId: 'n1', sku: 'SKU-1', quantity: 1, unitPriceMinor: 1 },
          { lineId: 'n1', sku: 'SKU-2', quantity: 1, unitPriceMinor: 1 },
        ],
      },
    ],
    ['no added line at all', { addLines: [] }],
    ['a speed the carrier does not sell', { speed: 'overnight' }],
  ])('%s', async (_name, body) => {
    const response = await patch('O-1', body);
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

test('an added line answers 200 with the order: the line reserved and authorised on top', async () => {
  const order = await placeConfirmedOrder();
  const sku = await env.stockSku({ 'WH-PARIS': 2 });
  const response = await patch(order.orderId, {
    addLines: [{ lineId: 'n1', sku, quantity: 2, unitPriceMinor: 1250 }],
  });
  expect(response.status).toBe(200);
  const view = response.body as OrderView;
  expect(view.lines.at(-1)).toMatchObject({ lineId: 'n1', sku, quantity: 2, status: 'reserved' });
  expect(view.totalMinor).toBe(9000 + 2500);
  expect(view.payment.authorizedMinor).toBe(9000 + 2500);
});

test('an added line nobody has is a 409 insufficient-stock; a ship-complete order a 409 not-allowed-in-state', async () => {
  const order = await placeConfirmedOrder();
  const missing = await env.stockSku({});
  const noStock = await patch(order.orderId, {
    addLines: [{ sku: missing, quantity: 1, unitPriceMinor: 100 }],
  });
  expect(noStock.status).toBe(409);
  expect(noStock.body.type).toBe('/problems/insufficient-stock');

  const whole = await placeConfirmedOrder({ shipComplete: true });
  const refused = await patch(whole.orderId, {
    addLines: [{ sku: missing, quantity: 1, unitPriceMinor: 100 }],
  });
  expect(refused.status).toBe(409);
  expect(refused.body.type).toBe('/problems/not-allowed-in-state');
  expect(refused.body.detail).toMatch(/ship-complete/);
});

test('express answers 200 with the new speed; a line id the order has is the workflow’s 422', async () => {
  const order = await placeConfirmedOrder();
  const faster = await patch(order.orderId, { speed: 'express' });
  expect(faster.status).toBe(200);
  expect(faster.body.delivery).toMatchObject({ speed: 'express' });
  const taken = await patch(order.orderId, {
    addLines: [{ lineId: 'l1', sku: 'SKU-X', quantity: 1, unitPriceMinor: 100 }],
  });
  expect(taken.status).toBe(422);
  expect(taken.body.detail).toMatch(/already has line l1/);
});

test('the OpenAPI document describes addLines and speed on PATCH', async () => {
  const response = await request(gateway.app).get('/openapi.json');
  const text = JSON.stringify(response.body.paths['/v1/orders/{orderId}'].patch);
  expect(text).toContain('addLines');
  expect(text).toContain('express');
});
