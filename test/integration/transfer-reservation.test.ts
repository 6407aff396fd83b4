import { reconcileInventory } from '../../src/inventory/reconcile';
import { createStockRepository, type StockRepository } from '../../src/inventory/stock-repository';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

let db: InventoryDb;
let stock: StockRepository;
let skuCounter = 0;
const source = 'test';
const holdKey = 'hold:h1:l1:N1';
const orderKey = 'o1:l1:N1';

beforeAll(async () => {
  db = await openInventoryDb('transfer_reservation');
  stock = createStockRepository(db.collections);
});
afterAll(() => db.close());

const heldSku = async (quantity = 3): Promise<string> => {
  const sku = `TRF-${++skuCounter}`;
  await stock.setCount({ sku, nodeId: 'N1', onHand: 10, source });
  await stock.reserve({ key: holdKey, sku, nodeId: 'N1', quantity, source });
  return sku;
};
const transfer = (sku: string) =>
  stock.transferReservation({ fromKey: holdKey, toKey: orderKey, sku, nodeId: 'N1', source });
const driftOf = async (sku: string) => (await reconcileInventory(db.collections, { skus: [sku] })).drift;

test('a transferred reservation is counted once, under its new key', async () => {
  const sku = await heldSku(3);
  expect(await transfer(sku)).toBe('transferred');
  const record = await stock.getRecord(sku, 'N1');
  expect(record).toMatchObject({ reserved: 3, available: 7 });
  expect(await stock.release({ key: holdKey, sku, nodeId: 'N1', source })).toBe('not_reserved');
  expect(await driftOf(sku)).toEqual([]);
});

test('transferring again answers already_transferred and changes nothing', async () => {
  const sku = await heldSku(2);
  await transfer(sku);
  expect(await transfer(sku)).toBe('already_transferred');
  expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 2, available: 8 });
  expect(await driftOf(sku)).toEqual([]);
});

test('a reservation already released cannot be transferred', async () => {
  const sku = await heldSku(2);
  await stock.release({ key: holdKey, sku, nodeId: 'N1', source });
  expect(await transfer(sku)).toBe('not_found');
  expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 0, available: 10 });
});

test('releasing the transferred reservation gives the units back once, and the ledger balances', async () => {
  const sku = await heldSku(4);
  await transfer(sku);
  expect(await stock.release({ key: orderKey, sku, nodeId: 'N1', source })).toBe('released');
  expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 0, available: 10 });
  expect(await driftOf(sku)).toEqual([]);
});

test('a transfer racing a release of the same reservation: exactly one wins', async () => {
  const sku = await heldSku(3);
  const [moved, released] = await Promise.all([
    transfer(sku),
    stock.release({ key: holdKey, sku, nodeId: 'N1', source }),
  ]);
  expect([moved === 'transferred', released === 'released'].filter(Boolean)).toHaveLength(1);
  const record = await stock.getRecord(sku, 'N1');
  expect(record?.reserved).toBe(moved === 'transferred' ? 3 : 0);
  expect(await driftOf(sku)).toEqual([]);
});
