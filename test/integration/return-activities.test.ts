import { createReturnActivities } from '../../activities/return.activities';
import { createSimulatedCarrier } from '../../src/carriers/simulated-carrier';
import { createStockRepository } from '../../src/inventory/stock-repository';
import { damagedUnits } from '../../src/returns/damaged-stock';
import { readReturn } from '../../src/returns/return-read-model';
import { setCustomerProfile } from '../../src/customers/customer-index';
import type { PaymentGateway } from '../../src/payments/payment-gateway';
import { rma } from '../unit/returns/return-fixtures';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

// The return activities over a real database: restock through the ledger, damaged units apart, labels,
// terms, dispositions and the read models, each exactly once however often it is retried.
let db: InventoryDb;
let returns: ReturnType<typeof createReturnActivities>;
const node = (
  id: string,
  type: 'warehouse' | 'store',
  capabilities: ('ship' | 'pickup' | 'return')[],
  lat: number,
) => ({
  _id: id,
  name: id,
  type,
  location: { lat, lon: 2.35, postalCode: '75001', country: 'FR' },
  capabilities,
  updatedAt: '2026-03-01T00:00:00.000Z',
});

beforeAll(async () => {
  db = await openInventoryDb('return_activities');
  returns = createReturnActivities({
    collections: db.collections,
    payment: {} as PaymentGateway,
    carrier: createSimulatedCarrier({ latencyMs: { min: 0, max: 1 } }),
    config: { gatewayUrl: 'http://127.0.0.1:1', apiKeys: new Map() },
  });
  await db.collections.nodes.insertMany([
    node('ST-PARIS', 'store', ['ship', 'pickup', 'return'], 48.86),
    node('WH-LILLE', 'warehouse', ['ship', 'return'], 50.63),
    node('WH-NORETURN', 'warehouse', ['ship'], 48.8),
  ]);
});
afterAll(() => db.close());

test('sellable returned units are on hand and available at the receiving node once, however often restocked', async () => {
  const stock = createStockRepository(db.collections);
  await stock.setCount({ sku: 'COAT-RED-M', nodeId: 'ST-PARIS', onHand: 3, source: 'test' });
  const input = {
    rmaId: 'o1-R1',
    nodeId: 'ST-PARIS',
    lines: [{ lineId: 'l1', sku: 'COAT-RED-M', quantity: 2 }],
  };
  await returns.restockReturnedUnits(input);
  await returns.restockReturnedUnits(input);
  expect(await stock.getRecord('COAT-RED-M', 'ST-PARIS')).toMatchObject({ onHand: 5, available: 5 });
  const ledger = await db.collections.stockLedger.find({ sku: 'COAT-RED-M', movement: 'return' }).toArray();
  expect(ledger).toEqual([
    expect.objectContaining({
      nodeId: 'ST-PARIS',
      onHandDelta: 2,
      source: 'return:o1-R1',
      reason: 'return o1-R1',
    }),
  ]);
});

test('a SKU the node never stocked gets a record from the return', async () => {
  await returns.restockReturnedUnits({
    rmaId: 'o2-R1',
    nodeId: 'ST-PARIS',
    lines: [{ lineId: 'l1', sku: 'NEW-SKU', quantity: 1 }],
  });
  expect(await createStockRepository(db.collections).getRecord('NEW-SKU', 'ST-PARIS')).toMatchObject({
    onHand: 1,
    available: 1,
  });
});

test('damaged units go to the non-sellable bucket once and never to available stock', async () => {
  const input = { rmaId: 'o3-R1', nodeId: 'ST-PARIS', lines: [{ lineId: 'l1', sku: 'SCARF', quantity: 2 }] };
  await returns.recordDamagedUnits(input);
  await returns.recordDamagedUnits(input);
  await returns.recordDamagedUnits({ ...input, rmaId: 'o4-R1' });
  expect(await damagedUnits(db.collections, 'SCARF', 'ST-PARIS')).toBe(4);
  expect(await createStockRepository(db.collections).getRecord('SCARF', 'ST-PARIS')).toBeNull();
});

test('a return label goes to the nearest node that takes returns and its tracking number finds the RMA workflow', async () => {
  const from = { line1: '1 rue', city: 'Lille', postalCode: '59000', country: 'FR', lat: 50.6, lon: 2.35 };
  const label = await returns.createReturnLabel({
    rmaId: 'o5-R1',
    orderId: 'o5',
    from,
    workflowId: 'return:o5-R1',
  });
  expect(label).toMatchObject({ nodeId: 'WH-LILLE', carrier: 'SIMPOST' });
  const again = await returns.createReturnLabel({
    rmaId: 'o5-R1',
    orderId: 'o5',
    from,
    workflowId: 'return:o5-R1',
  });
  expect(again).toEqual(label);
  expect(await db.collections.shipments.findOne({ _id: label!.trackingNumber })).toMatchObject({
    orderId: 'o5',
    workflowId: 'return:o5-R1',
    fulfillmentId: 'o5-R1-RL',
  });
});

test('terms carry the policy, the product windows and families, and the customer standing', async () => {
  await db.collections.products.insertOne({
    _id: 'TRENCH-BEIGE-M',
    name: 'Trench',
    priceMinor: 32900,
    currency: 'EUR',
    weightGrams: 900,
    returnWindowDays: 60,
    updatedAt: 'x',
  });
  await setCustomerProfile(db.collections, 'cust-vip', { tier: 'vip', trustedReturns: true });
  const terms = await returns.readReturnTerms({
    customerId: 'cust-vip',
    skus: ['TRENCH-BEIGE-M', 'UNKNOWN'],
  });
  expect(terms.products).toEqual({
    'TRENCH-BEIGE-M': { priceMinor: 32900, currency: 'EUR', family: 'TRENCH', returnWindowDays: 60 },
  });
  expect(terms.customer).toEqual({ tier: 'vip', trustedReturns: true });
  expect(terms.policy.windowDays).toBe(30);
  expect((await returns.readReturnTerms({ customerId: 'nobody', skus: [] })).customer).toEqual({
    tier: 'standard',
    trustedReturns: false,
  });
});

test('the disposition suggests the node that shipped the SKU most', async () => {
  await db.collections.stockLedger.insertMany([
    {
      _id: 'ship:a',
      sku: 'BAG',
      nodeId: 'WH-LILLE',
      movement: 'ship',
      onHandDelta: -5,
      reservedDelta: -5,
      reason: '',
      source: '',
      at: 'x',
    },
    {
      _id: 'ship:b',
      sku: 'BAG',
      nodeId: 'ST-PARIS',
      movement: 'ship',
      onHandDelta: -1,
      reservedDelta: -1,
      reason: '',
      source: '',
      at: 'x',
    },
  ]);
  const [suggestion] = await returns.suggestReturnDispositions({
    rmaId: 'o6-R1',
    nodeId: 'ST-PARIS',
    lines: [{ lineId: 'l1', sku: 'BAG', quantity: 1 }],
  });
  expect(suggestion).toMatchObject({ action: 'transfer', toNodeId: 'WH-LILLE' });
});

test('the RMA read model never goes back to an older version', async () => {
  await returns.publishReturnView({ view: rma({ rmaId: 'o7-R1', version: 3, status: 'received' }) });
  expect(await returns.publishReturnView({ view: rma({ rmaId: 'o7-R1', version: 2 }) })).toBe('stale');
  expect((await readReturn(db.collections, 'o7-R1'))?.status).toBe('received');
});

test('orders are listed under their customer and email once', async () => {
  const ref = { customerId: 'c-9', email: 'Ada@Example.com', orderId: 'o-9' };
  await returns.indexCustomerOrder(ref);
  await returns.indexCustomerOrder(ref);
  await returns.indexCustomerOrder({ ...ref, orderId: 'o-10' });
  expect(await db.collections.customers.findOne({ _id: 'c-9' })).toMatchObject({
    orderIds: ['o-9', 'o-10'],
    emails: ['ada@example.com'],
  });
  expect(await db.collections.customerEmails.findOne({ _id: 'ada@example.com' })).toMatchObject({
    customerIds: ['c-9'],
  });
});
