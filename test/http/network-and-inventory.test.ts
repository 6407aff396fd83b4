import request from 'supertest';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness('network');
});

afterAll(async () => {
  await gateway.close();
});

const warehouse = {
  name: 'Lyon warehouse',
  type: 'warehouse',
  location: { lat: 45.76, lon: 4.84, postalCode: '69002', country: 'FR' },
  capabilities: ['ship', 'return'],
  dailyOrderCapacity: 500,
  priority: 1,
};
const product = {
  name: 'Silk scarf',
  priceMinor: 12900,
  currency: 'EUR',
  weightGrams: 120,
  returnWindowDays: 30,
};

const putNode = (nodeId: string, body: object = warehouse) =>
  request(gateway.app).put(`/v1/nodes/${nodeId}`).set(AUTH.admin).send(body);
const putProduct = (sku: string, body: object = product) =>
  request(gateway.app).put(`/v1/products/${sku}`).set(AUTH.admin).send(body);
const putCount = (sku: string, nodeId: string, body: object) =>
  request(gateway.app).put(`/v1/inventory/${sku}/${nodeId}`).set(AUTH.admin).send(body);
const adjust = (body: object, idempotencyKey?: string) => {
  const call = request(gateway.app).post('/v1/inventory/adjustments').set(AUTH.admin);
  return (idempotencyKey ? call.set('Idempotency-Key', idempotencyKey) : call).send(body);
};

describe('nodes', () => {
  it('creates a node with 201 and reads it back in the list', async () => {
    const created = await putNode('LYON');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ nodeId: 'LYON', ...warehouse });
    const list = await request(gateway.app).get('/v1/nodes').set(AUTH.admin);
    expect(list.body.items).toContainEqual(expect.objectContaining({ nodeId: 'LYON', ...warehouse }));
  });

  it('replaces an existing node with 200', async () => {
    await putNode('LILLE');
    const replaced = await putNode('LILLE', { ...warehouse, name: 'Lille store', type: 'store' });
    expect(replaced.status).toBe(200);
    const read = await request(gateway.app).get('/v1/nodes/LILLE').set(AUTH.admin);
    expect(read.body).toMatchObject({ name: 'Lille store', type: 'store' });
  });

  it('rejects an unknown node type with 422', async () => {
    const response = await putNode('BAD', { ...warehouse, type: 'spaceport' });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('type');
  });
});

describe('products', () => {
  it('stores a product and reads it back', async () => {
    expect((await putProduct('SCARF-1')).status).toBe(201);
    const read = await request(gateway.app).get('/v1/products/SCARF-1').set(AUTH.admin);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ sku: 'SCARF-1', ...product });
  });

  it('answers 404 for a SKU that is not in the catalogue', async () => {
    const read = await request(gateway.app).get('/v1/products/NOPE').set(AUTH.admin);
    expect(read.status).toBe(404);
  });

  it('rejects a price in decimal units with 422', async () => {
    const response = await putProduct('SCARF-2', { ...product, priceMinor: 129.0001 });
    expect(response.status).toBe(422);
  });
});

describe('inventory', () => {
  beforeAll(async () => {
    await putNode('PARIS', { ...warehouse, name: 'Paris' });
    await putNode('NANTES', { ...warehouse, name: 'Nantes' });
    await putProduct('BAG-1');
    await putProduct('BAG-2');
  });

  it('records a cycle count and answers the record', async () => {
    const response = await putCount('BAG-1', 'PARIS', { onHand: 10, safetyStock: 2 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      sku: 'BAG-1',
      nodeId: 'PARIS',
      onHand: 10,
      reserved: 0,
      safetyStock: 2,
      available: 8,
    });
    const read = await request(gateway.app).get('/v1/inventory/BAG-1/PARIS').set(AUTH.admin);
    expect(read.body).toEqual(response.body);
  });

  it('refuses stock for a node that does not exist with 404', async () => {
    const response = await putCount('BAG-1', 'NOWHERE', { onHand: 1 });
    expect(response.status).toBe(404);
  });

  it('rejects a negative count with 422', async () => {
    const response = await putCount('BAG-1', 'PARIS', { onHand: -1 });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('onHand');
  });

  it('applies a relative adjustment', async () => {
    await putCount('BAG-2', 'PARIS', { onHand: 5 });
    const response = await adjust({ sku: 'BAG-2', nodeId: 'PARIS', delta: 3, reason: 'found in back room' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ onHand: 8, available: 8 });
  });

  it('refuses an adjustment that would take stock below zero with 409', async () => {
    await putCount('BAG-2', 'NANTES', { onHand: 1 });
    const response = await adjust({ sku: 'BAG-2', nodeId: 'NANTES', delta: -2, reason: 'damaged' });
    expect(response.status).toBe(409);
  });

  it('applies an adjustment once when it is retried with the same Idempotency-Key', async () => {
    await putCount('BAG-1', 'NANTES', { onHand: 20 });
    const body = { sku: 'BAG-1', nodeId: 'NANTES', delta: -4, reason: 'damaged' };
    const first = await adjust(body, 'adj-1');
    const retry = await adjust(body, 'adj-1');
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const read = await request(gateway.app).get('/v1/inventory/BAG-1/NANTES').set(AUTH.admin);
    expect(read.body.onHand).toBe(16);
  });

  it('applies concurrent retries with the same Idempotency-Key once', async () => {
    await putCount('BAG-1', 'PARIS', { onHand: 50 });
    const body = { sku: 'BAG-1', nodeId: 'PARIS', delta: -5, reason: 'damaged' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => adjust(body, 'adj-race')));
    expect(answers.every((answer) => answer.status === 200 || answer.status === 409)).toBe(true);
    const read = await request(gateway.app).get('/v1/inventory/BAG-1/PARIS').set(AUTH.admin);
    expect(read.body.onHand).toBe(45);
  });

  it('answers 422 when an Idempotency-Key is reused with another body', async () => {
    await adjust({ sku: 'BAG-1', nodeId: 'NANTES', delta: 1, reason: 'recount' }, 'adj-2');
    const response = await adjust({ sku: 'BAG-1', nodeId: 'NANTES', delta: 2, reason: 'recount' }, 'adj-2');
    expect(response.status).toBe(422);
    expect(response.body.type).toBe('/problems/idempotency-key-reused');
  });

  it('runs a failed request again on retry, since it changed nothing', async () => {
    const body = { sku: 'BAG-1', nodeId: 'PARIS', delta: -1000, reason: 'typo' };
    expect((await adjust(body, 'adj-3')).status).toBe(409);
    await putCount('BAG-1', 'PARIS', { onHand: 2000 });
    expect((await adjust(body, 'adj-3')).status).toBe(200);
  });

  it('answers availability per SKU with its nodes, wrapped in items', async () => {
    await putCount('BAG-2', 'PARIS', { onHand: 7, safetyStock: 1 });
    await putCount('BAG-2', 'NANTES', { onHand: 3 });
    const response = await request(gateway.app)
      .get('/v1/availability?sku=BAG-2&sku=UNSTOCKED')
      .set(AUTH.channel);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        {
          sku: 'BAG-2',
          available: 9,
          nodes: [
            { nodeId: 'NANTES', available: 3 },
            { nodeId: 'PARIS', available: 6 },
          ],
        },
        { sku: 'UNSTOCKED', available: 0, nodes: [] },
      ],
    });
  });

  it('requires at least one sku for availability', async () => {
    const response = await request(gateway.app).get('/v1/availability').set(AUTH.channel);
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('sku');
  });
});
