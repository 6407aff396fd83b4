import request from 'supertest';
import { registerStockWaiter } from '../../src/inventory/stock-waiters';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

let gateway: GatewayHarness;
const workflowIds: string[] = [];

const node = {
  name: 'Paris',
  type: 'warehouse',
  location: { lat: 48.85, lon: 2.35, postalCode: '75001', country: 'FR' },
  capabilities: ['ship'],
};
const product = { name: 'Trench', priceMinor: 32900, currency: 'EUR', weightGrams: 900 };

beforeAll(async () => {
  gateway = await startGatewayHarness('inventory_extras');
  await request(gateway.app).put('/v1/nodes/PARIS').set(AUTH.admin).send(node);
  for (const sku of ['TRENCH', 'COAT', 'SCARF', 'BELT']) {
    await request(gateway.app).put(`/v1/products/${sku}`).set(AUTH.admin).send(product);
  }
  await request(gateway.app).put('/v1/inventory/TRENCH/PARIS').set(AUTH.admin).send({ onHand: 10 });
});

afterAll(async () => {
  await Promise.allSettled(
    workflowIds.map((id) => gateway.temporal.workflow.getHandle(id).terminate('HTTP test finished')),
  );
  await gateway.close();
});

const api = () => request(gateway.app);
const holdPath = (pool: string, sku = 'TRENCH') => `/v1/inventory/${sku}/PARIS/holds/${pool}`;

describe('holds', () => {
  it('holds units for a channel and shows them on the stock record', async () => {
    const response = await api().put(holdPath('channel:marketplace')).set(AUTH.admin).send({ quantity: 3 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      sku: 'TRENCH',
      nodeId: 'PARIS',
      onHand: 10,
      reserved: 0,
      safetyStock: 0,
      available: 7,
      held: 3,
      holds: [{ pool: 'channel:marketplace', quantity: 3, available: 10 }],
    });
    const read = await api().get('/v1/inventory/TRENCH/PARIS').set(AUTH.admin);
    expect(read.body).toEqual(response.body);
  });

  it('answers 409 when more is asked than is available', async () => {
    const response = await api().put(holdPath('segment:vip')).set(AUTH.admin).send({ quantity: 50 });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 422 for a pool that is not channel:<id> or segment:<id>', async () => {
    const response = await api().put(holdPath('region:eu')).set(AUTH.admin).send({ quantity: 1 });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('pool');
  });

  it('answers 422 for a negative quantity or an unknown field', async () => {
    expect((await api().put(holdPath('segment:vip')).set(AUTH.admin).send({ quantity: -1 })).status).toBe(
      422,
    );
    const extra = await api().put(holdPath('segment:vip')).set(AUTH.admin).send({ quantity: 1, until: 'x' });
    expect(extra.status).toBe(422);
    expect(extra.body.errors[0]).toEqual({ path: 'until', message: 'unknown field' });
  });

  it('answers 404 for a SKU without stock at the node', async () => {
    const response = await api().put(holdPath('segment:vip', 'COAT')).set(AUTH.admin).send({ quantity: 1 });
    expect(response.status).toBe(404);
  });

  it('is for admins only', async () => {
    expect((await api().put(holdPath('segment:vip')).set(AUTH.channel).send({ quantity: 1 })).status).toBe(
      403,
    );
    expect((await api().delete(holdPath('segment:vip')).set(AUTH.agent)).status).toBe(403);
  });

  it('releases a hold back to general availability, then answers 404 for it', async () => {
    await api().put(holdPath('segment:staff')).set(AUTH.admin).send({ quantity: 2 });
    const released = await api().delete(holdPath('segment:staff')).set(AUTH.admin);
    expect(released.status).toBe(200);
    expect(released.body.holds).toEqual([{ pool: 'channel:marketplace', quantity: 3, available: 10 }]);
    expect((await api().delete(holdPath('segment:staff')).set(AUTH.admin)).status).toBe(404);
  });

  it('refuses a count below what is held with 409', async () => {
    const response = await api().put('/v1/inventory/TRENCH/PARIS').set(AUTH.admin).send({ onHand: 2 });
    expect(response.status).toBe(409);
  });
});

describe('adjustments with an Idempotency-Key', () => {
  it('write one ledger line whose id comes from the key', async () => {
    const body = { sku: 'TRENCH', nodeId: 'PARIS', delta: 1, reason: 'found' };
    const first = await api()
      .post('/v1/inventory/adjustments')
      .set(AUTH.admin)
      .set('Idempotency-Key', 'adj-1')
      .send(body);
    const again = await api()
      .post('/v1/inventory/adjustments')
      .set(AUTH.admin)
      .set('Idempotency-Key', 'adj-1')
      .send(body);
    expect(again.body).toEqual(first.body);
    const lines = await gateway.collections.stockLedger
      .find({ sku: 'TRENCH', movement: 'adjustment' })
      .toArray();
    expect(lines.map((line) => line._id)).toEqual([
      expect.stringMatching(/^adjustment:TRENCH@PARIS:idem-[0-9a-f]{40}$/),
    ]);
  });
});

describe('inbound supply', () => {
  const inbound = { sku: 'SCARF', nodeId: 'PARIS', quantity: 10, expectedAt: '2030-05-01T08:00:00Z' };
  const post = (body: object, key?: string) => {
    const call = api().post('/v1/inventory/inbound').set(AUTH.admin);
    return (key ? call.set('Idempotency-Key', key) : call).send(body);
  };
  const receive = (inboundId: string, body?: object, key?: string) => {
    const call = api().post(`/v1/inventory/inbound/${inboundId}/receive`).set(AUTH.admin);
    return (key ? call.set('Idempotency-Key', key) : call).send(body);
  };

  it('records supply on its way with 201', async () => {
    const response = await post(inbound);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      inboundId: expect.stringMatching(/^IN-/),
      sku: 'SCARF',
      nodeId: 'PARIS',
      quantity: 10,
      expectedAt: '2030-05-01T08:00:00.000Z',
      receivedQuantity: 0,
      status: 'expected',
    });
  });

  it('replays the first answer for a repeated Idempotency-Key and records the supply once', async () => {
    const body = { ...inbound, sku: 'BELT' };
    const first = await post(body, 'inbound-1');
    const again = await post(body, 'inbound-1');
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const list = await api().get('/v1/inventory/inbound?sku=BELT').set(AUTH.admin);
    expect(list.body.items).toHaveLength(1);
  });

  it('answers 422 for a missing date, a date that is not ISO 8601 or a quantity of 0', async () => {
    const { expectedAt: _, ...undated } = inbound;
    expect((await post(undated)).status).toBe(422);
    expect((await post({ ...inbound, expectedAt: 'next tuesday' })).status).toBe(422);
    const zero = await post({ ...inbound, quantity: 0 });
    expect(zero.status).toBe(422);
    expect(zero.body.errors[0].path).toBe('quantity');
  });

  it('answers 404 for an unknown node and 403 for a channel', async () => {
    expect((await post({ ...inbound, nodeId: 'NOWHERE' })).status).toBe(404);
    expect((await api().post('/v1/inventory/inbound').set(AUTH.channel).send(inbound)).status).toBe(403);
    expect((await api().get('/v1/inventory/inbound').set(AUTH.channel)).status).toBe(403);
  });

  it('lists supply by SKU', async () => {
    const created = await post({ ...inbound, sku: 'COAT' });
    const list = await api().get('/v1/inventory/inbound?sku=COAT').set(AUTH.admin);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([created.body]);
  });

  it('receives part, then the rest, into on-hand stock', async () => {
    const { body: created } = await post(inbound);
    const part = await receive(created.inboundId, { quantity: 4 });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({
      receivedQuantity: 4,
      status: 'partially_received',
      receipt: { seq: 1, quantity: 4 },
    });
    const rest = await receive(created.inboundId);
    expect(rest.body).toMatchObject({
      receivedQuantity: 10,
      status: 'received',
      receipt: { seq: 2, quantity: 6 },
    });
    expect((await receive(created.inboundId)).status).toBe(409);
  });

  it('answers 409 for more than is still expected, 404 for an unknown inbound, 422 for a bad quantity', async () => {
    const { body: created } = await post(inbound);
    expect((await receive(created.inboundId, { quantity: 11 })).status).toBe(409);
    expect((await receive('IN-unknown', { quantity: 1 })).status).toBe(404);
    expect((await receive(created.inboundId, { quantity: 1.5 })).status).toBe(422);
  });

  it('counts a receipt retried with its Idempotency-Key once', async () => {
    const before = (await api().get('/v1/inventory/SCARF/PARIS').set(AUTH.admin)).body.onHand ?? 0;
    const { body: created } = await post(inbound);
    await receive(created.inboundId, { quantity: 2 }, 'receipt-1');
    const again = await receive(created.inboundId, { quantity: 2 }, 'receipt-1');
    expect(again.body).toMatchObject({ receivedQuantity: 2, receipt: { seq: 1, quantity: 2 } });
    expect((await api().get('/v1/inventory/SCARF/PARIS').set(AUTH.admin)).body.onHand).toBe(before + 2);
  });

  it('signals stockArrived to the workflows of orders waiting on the SKU', async () => {
    const workflowId = `waiter-${Date.now()}`;
    workflowIds.push(workflowId);
    await gateway.temporal.workflow.start('orderWorkflow', {
      workflowId,
      taskQueue: gateway.config.taskQueue,
      args: [],
    });
    await registerStockWaiter(gateway.collections, { sku: 'SCARF', orderId: 'o-wait', workflowId });
    await registerStockWaiter(gateway.collections, {
      sku: 'SCARF',
      orderId: 'o-gone',
      workflowId: 'no-such-workflow',
    });
    const { body: created } = await post(inbound);
    const response = await receive(created.inboundId, { quantity: 3 });
    expect(response.body.waitersNotified).toBe(1);
    const history = await gateway.temporal.workflow.getHandle(workflowId).fetchHistory();
    const signals = (history.events ?? []).flatMap((event) =>
      event.workflowExecutionSignaledEventAttributes
        ? [event.workflowExecutionSignaledEventAttributes.signalName]
        : [],
    );
    expect(signals).toEqual(['stockArrived']);
    expect(await gateway.collections.stockWaiters.countDocuments({ sku: 'SCARF' })).toBe(1);
  });
});

describe('reconciliation', () => {
  it('reports no drift after the movements above', async () => {
    const response = await api().get('/v1/inventory/reconciliation').set(AUTH.admin);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ drift: [], unflushed: 0 });
    expect(response.body.checked).toBeGreaterThanOrEqual(2);
  });

  it('reports a counter changed behind the ledger, for the SKUs asked', async () => {
    await gateway.collections.inventory.updateOne(
      { _id: 'SCARF@PARIS' },
      { $inc: { onHand: 1, available: 1 } },
    );
    const response = await api().get('/v1/inventory/reconciliation?sku=SCARF').set(AUTH.admin);
    expect(response.body.checked).toBe(1);
    expect(response.body.drift).toEqual([
      expect.objectContaining({
        sku: 'SCARF',
        nodeId: 'PARIS',
        check: 'on_hand_vs_ledger',
        actual: response.body.drift[0].expected + 1,
      }),
    ]);
    await gateway.collections.inventory.updateOne(
      { _id: 'SCARF@PARIS' },
      { $inc: { onHand: -1, available: -1 } },
    );
  });

  it('repairs with POST and reports', async () => {
    const response = await api().post('/v1/inventory/reconciliation/repair').set(AUTH.admin);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ drift: [], repaired: 0 });
  });

  it('is for admins only', async () => {
    expect((await api().get('/v1/inventory/reconciliation').set(AUTH.agent)).status).toBe(403);
    expect((await api().post('/v1/inventory/reconciliation/repair').set(AUTH.channel)).status).toBe(403);
  });
});
