import { ConflictError, NotFoundError, ValidationError } from '../../src/errors';
import { createStockRepository, type StockRepository } from '../../src/inventory/stock-repository';
import { reconcileInventory } from '../../src/inventory/reconcile';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

let db: InventoryDb;
let stock: StockRepository;
let skuCounter = 0;
const nextSku = (): string => `HOLD-${++skuCounter}`;
const source = 'test';
const marketplace = { channel: 'marketplace' };

beforeAll(async () => {
  db = await openInventoryDb('stock_holds');
  stock = createStockRepository(db.collections);
});
afterAll(() => db.close());

/** A SKU at N1 with `onHand` units and `held` of them held for the marketplace channel. */
async function stockWithHold(onHand: number, held: number): Promise<string> {
  const sku = nextSku();
  await stock.setCount({ sku, nodeId: 'N1', onHand, source });
  await stock.setHold({ sku, nodeId: 'N1', pool: 'channel:marketplace', quantity: held, source });
  return sku;
}

const reserve = (sku: string, key: string, quantity: number, pool?: { channel?: string; segment?: string }) =>
  stock.reserve({ key, sku, nodeId: 'N1', quantity, source, ...(pool ? { pool } : {}) });

describe('setting and releasing holds', () => {
  test('a hold takes units out of general availability and shows per pool', async () => {
    const sku = await stockWithHold(10, 4);
    expect(await stock.getRecord(sku, 'N1')).toEqual({
      sku,
      nodeId: 'N1',
      onHand: 10,
      reserved: 0,
      safetyStock: 0,
      available: 6,
      held: 4,
      holds: [{ pool: 'channel:marketplace', quantity: 4, available: 10 }],
    });
  });

  test('a hold larger than what is available is a conflict and changes nothing', async () => {
    const sku = await stockWithHold(10, 4);
    await reserve(sku, 'o1:l1:N1', 5);
    await expect(
      stock.setHold({ sku, nodeId: 'N1', pool: 'segment:vip', quantity: 2, source }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ available: 1, held: 4 });
  });

  test('lowering a hold gives the difference back to general availability', async () => {
    const sku = await stockWithHold(10, 4);
    const record = await stock.setHold({
      sku,
      nodeId: 'N1',
      pool: 'channel:marketplace',
      quantity: 1,
      source,
    });
    expect(record).toMatchObject({ available: 9, held: 1 });
  });

  test('releasing a hold returns its units; releasing it again is not found', async () => {
    const sku = await stockWithHold(10, 4);
    const record = await stock.releaseHold({ sku, nodeId: 'N1', pool: 'channel:marketplace', source });
    expect(record).toEqual({ sku, nodeId: 'N1', onHand: 10, reserved: 0, safetyStock: 0, available: 10 });
    await expect(
      stock.releaseHold({ sku, nodeId: 'N1', pool: 'channel:marketplace', source }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  test('a hold on a SKU without a stock record is not found', async () => {
    await expect(
      stock.setHold({ sku: nextSku(), nodeId: 'N1', pool: 'segment:vip', quantity: 1, source }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  test('a pool that is not channel:<id> or segment:<id> is refused', async () => {
    const sku = await stockWithHold(10, 0);
    await expect(
      stock.setHold({ sku, nodeId: 'N1', pool: 'region.eu', quantity: 1, source }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  test('concurrent holds never take more than is available', async () => {
    const sku = await stockWithHold(10, 0);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        stock.setHold({ sku, nodeId: 'N1', pool: `segment:s${i}`, quantity: 3, source }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ available: 1, held: 9 });
  });

  test('a count may not go below what is reserved plus what is held', async () => {
    const sku = await stockWithHold(10, 4);
    await reserve(sku, 'o1:l1:N1', 5);
    await expect(stock.setCount({ sku, nodeId: 'N1', onHand: 8, source })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await stock.setCount({ sku, nodeId: 'N1', onHand: 9, source })).toMatchObject({ available: 0 });
  });
});

describe('reserving with holds', () => {
  test('only the hold owner can take held units', async () => {
    const sku = await stockWithHold(5, 3);
    expect(await reserve(sku, 'web:l1:N1', 3, { channel: 'web' })).toBe('insufficient');
    expect(await reserve(sku, 'web:l1:N1', 2, { channel: 'web' })).toBe('reserved');
    expect(await reserve(sku, 'mp:l1:N1', 3, marketplace)).toBe('reserved');
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 5, available: 0, held: 0 });
  });

  test('the owner takes its hold first, then general availability', async () => {
    const sku = await stockWithHold(10, 3);
    expect(await reserve(sku, 'mp:l1:N1', 5, marketplace)).toBe('reserved');
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 5, available: 5, held: 0 });
    const doc = await db.collections.reservations.findOne({ sku, key: 'mp:l1:N1' });
    expect(doc).toMatchObject({ quantity: 5, pools: { 'channel:marketplace': 3 }, state: 'active' });
  });

  test('a caller with a channel and a segment takes both holds', async () => {
    const sku = await stockWithHold(10, 2);
    await stock.setHold({ sku, nodeId: 'N1', pool: 'segment:vip', quantity: 2, source });
    expect(await reserve(sku, 'o1:l1:N1', 7, { channel: 'marketplace', segment: 'vip' })).toBe('reserved');
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 7, available: 3, held: 0 });
  });

  test('a release gives units back to the hold they came from', async () => {
    const sku = await stockWithHold(10, 3);
    await reserve(sku, 'mp:l1:N1', 5, marketplace);
    expect(await stock.release({ key: 'mp:l1:N1', sku, nodeId: 'N1', source })).toBe('released');
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 0, available: 7, held: 3 });
  });

  test('a release after the hold ended gives every unit to general availability', async () => {
    const sku = await stockWithHold(10, 3);
    await reserve(sku, 'mp:l1:N1', 5, marketplace);
    await stock.releaseHold({ sku, nodeId: 'N1', pool: 'channel:marketplace', source });
    expect(await stock.release({ key: 'mp:l1:N1', sku, nodeId: 'N1', source })).toBe('released');
    expect(await stock.getRecord(sku, 'N1')).toEqual({
      sku,
      nodeId: 'N1',
      onHand: 10,
      reserved: 0,
      safetyStock: 0,
      available: 10,
    });
  });

  test('consuming a held reservation takes it out of on-hand and leaves the hold as it is', async () => {
    const sku = await stockWithHold(10, 3);
    await reserve(sku, 'mp:l1:N1', 2, marketplace);
    expect(await stock.consume({ key: 'mp:l1:N1', sku, nodeId: 'N1', source })).toBe('consumed');
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ onHand: 8, reserved: 0, available: 7, held: 1 });
  });

  test('reserving again under the same key is a no-op', async () => {
    const sku = await stockWithHold(10, 3);
    expect(await reserve(sku, 'mp:l1:N1', 2, marketplace)).toBe('reserved');
    expect(await reserve(sku, 'mp:l1:N1', 2, marketplace)).toBe('already_reserved');
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 2, held: 1 });
  });

  test('every hold movement balances in the ledger', async () => {
    const sku = await stockWithHold(10, 3);
    await reserve(sku, 'mp:l1:N1', 5, marketplace);
    await stock.release({ key: 'mp:l1:N1', sku, nodeId: 'N1', source });
    await stock.setHold({ sku, nodeId: 'N1', pool: 'channel:marketplace', quantity: 1, source });
    await stock.releaseHold({ sku, nodeId: 'N1', pool: 'channel:marketplace', source });
    expect(await reconcileInventory(db.collections, { skus: [sku] })).toMatchObject({
      checked: 1,
      drift: [],
    });
  });
});

describe('availability per caller', () => {
  test('a caller sees general availability plus its own holds only', async () => {
    const sku = await stockWithHold(10, 4);
    await stock.setHold({ sku, nodeId: 'N1', pool: 'segment:vip', quantity: 1, source });
    const nodes = async (caller?: { channel?: string; segment?: string }) =>
      (await stock.availabilityFor([sku], caller)).get(sku);
    expect(await nodes()).toEqual([{ nodeId: 'N1', available: 5 }]);
    expect(await nodes({ channel: 'web' })).toEqual([{ nodeId: 'N1', available: 5 }]);
    expect(await nodes(marketplace)).toEqual([{ nodeId: 'N1', available: 9 }]);
    expect(await nodes({ channel: 'marketplace', segment: 'vip' })).toEqual([
      { nodeId: 'N1', available: 10 },
    ]);
  });

  test('nodeIds limits the answer to those nodes', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 1, source });
    await stock.setCount({ sku, nodeId: 'N2', onHand: 2, source });
    expect((await stock.availabilityFor([sku], { nodeIds: ['N2', 'N9'] })).get(sku)).toEqual([
      { nodeId: 'N2', available: 2 },
    ]);
  });

  test('records written before the SKU directory are still found', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 3, source });
    await db.collections.skuNodes.deleteOne({ _id: sku });
    expect((await stock.availabilityFor([sku])).get(sku)).toEqual([{ nodeId: 'N1', available: 3 }]);
    expect(await db.collections.skuNodes.findOne({ _id: sku })).toEqual({ _id: sku, nodeIds: ['N1'] });
  });
});
