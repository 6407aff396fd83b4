import { MongoClient } from 'mongodb';
import { buildSourcingRequest, DEFAULT_WEIGHT_GRAMS } from '../../activities/sourcing.activities';
import { getCollections, type Collections } from '../../src/db/collections';
import { SourcingRequest } from '../../src/domain/sourcing/sourcing-request';
import { createInbound } from '../../src/inventory/inbound-repository';
import { createStockRepository } from '../../src/inventory/stock-repository';
import { claimNodeCapacity } from '../../src/network/node-capacity';
import { TEST_NODES } from '../workflow/support/order-test-env';
import { testMongoUri } from '../support/servers';

// The planSourcing activity's snapshot of the database, against the suite's real MongoDB server.
const NOW = '2025-03-14T09:00:00.000Z';
let client: MongoClient;
let c: Collections;
let request: SourcingRequest;

beforeAll(async () => {
  client = await new MongoClient(testMongoUri(`plan_sourcing_${process.pid}_${Date.now()}`)).connect();
  c = getCollections(client.db());
  await c.nodes.insertMany([
    ...TEST_NODES.filter((node) => node._id !== 'WH-PARIS'),
    { ...TEST_NODES.find((node) => node._id === 'WH-PARIS')!, dailyOrderCapacity: 10, priority: 1 },
  ]);
  await c.products.insertOne({
    _id: 'COAT',
    name: 'Coat',
    priceMinor: 30000,
    currency: 'EUR',
    weightGrams: 1800,
    updatedAt: NOW,
  });
  const stock = createStockRepository(c);
  await stock.setCount({ sku: 'COAT', nodeId: 'WH-PARIS', onHand: 5, source: 'test' });
  await stock.setCount({ sku: 'COAT', nodeId: 'WH-LYON', onHand: 4, source: 'test' });
  await stock.setHold({
    sku: 'COAT',
    nodeId: 'WH-LYON',
    pool: 'channel:marketplace',
    quantity: 3,
    source: 'test',
  });
  await stock.setHold({ sku: 'COAT', nodeId: 'WH-PARIS', pool: 'channel:web', quantity: 2, source: 'test' });
  await createInbound(c, {
    sku: 'SCARF',
    nodeId: 'WH-LYON',
    quantity: 8,
    expectedAt: '2025-03-20T08:00:00Z',
    source: 'test',
  });
  await claimNodeCapacity(c, { nodeId: 'WH-PARIS', orderId: 'earlier', day: '2025-03-14' }, 10);
  request = await buildSourcingRequest(c, {
    lines: [
      { lineId: 'l1', sku: 'COAT', quantity: 1 },
      { lineId: 'l2', sku: 'SCARF', quantity: 2 },
    ],
    delivery: {
      method: 'ship',
      speed: 'express',
      address: { line1: '1 rue', city: 'Lyon', postalCode: '69001', country: 'FR', lat: 45.76, lon: 4.83 },
    },
    shipComplete: false,
    channel: 'web',
    now: NOW,
  });
});
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
});

test('the request is valid for the engine', () => {
  expect(SourcingRequest.safeParse(request).error).toBeUndefined();
});

test('stock held for the channel of the order counts, stock held for another channel does not', () => {
  expect(request.availability.COAT).toEqual({ 'WH-PARIS': 5, 'WH-LYON': 1 });
  expect(request.availability.SCARF).toEqual({});
});

test('each node carries its capacity, priority and the orders it took on the day of now', () => {
  const paris = request.nodes.find((node) => node.nodeId === 'WH-PARIS');
  expect(paris).toMatchObject({ type: 'warehouse', dailyOrderCapacity: 10, priority: 1, usedToday: 1 });
  expect(request.nodes.find((node) => node.nodeId === 'WH-LYON')).toMatchObject({ usedToday: 0 });
});

test('lines carry the catalogue weight, or the default for an unknown product', () => {
  expect(request.lines.map((line) => line.weightGrams)).toEqual([1800, DEFAULT_WEIGHT_GRAMS]);
});

test('the destination has the coordinates, postcode and country, and the delivery its speed', () => {
  expect(request.delivery).toEqual({
    method: 'ship',
    speed: 'express',
    destination: { lat: 45.76, lon: 4.83, postalCode: '69001', country: 'FR' },
  });
});

test('inbound supply of the SKUs of the order is passed on', () => {
  expect(request.inbound).toEqual({
    SCARF: [{ nodeId: 'WH-LYON', quantity: 8, expectedAt: '2025-03-20T08:00:00.000Z' }],
  });
});
