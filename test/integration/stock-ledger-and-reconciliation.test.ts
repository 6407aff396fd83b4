import { reservationDocId } from '../../src/db/documents';
import { reconcileInventory } from '../../src/inventory/reconcile';
import { reservationDoc, writeReservationDoc } from '../../src/inventory/reservation-docs';
import { createStockRepository, type StockRepository } from '../../src/inventory/stock-repository';
import {
  crashingCollections,
  openInventoryDb,
  SimulatedCrash,
  type InventoryDb,
} from './support/inventory-db';

let db: InventoryDb;
let stock: StockRepository;
let skuCounter = 0;
const nextSku = (): string => `LED-${++skuCounter}`;
const source = 'test';
const key = 'o1:l1:N1';

beforeAll(async () => {
  db = await openInventoryDb('stock_ledger');
  stock = createStockRepository(db.collections);
});
afterAll(() => db.close());

const stocked = async (onHand = 10): Promise<string> => {
  const sku = nextSku();
  await stock.setCount({ sku, nodeId: 'N1', onHand, source });
  return sku;
};
const reconcile = (sku: string, repair = false) =>
  reconcileInventory(db.collections, { skus: [sku], repair });
const reservationOf = (sku: string) =>
  db.collections.reservations.findOne({ _id: reservationDocId(sku, 'N1', key) });
const checksOf = async (sku: string) => (await reconcile(sku)).drift.map((d) => d.check).sort();

describe('reservation documents', () => {
  test('a reservation is recorded as an active document', async () => {
    const sku = await stocked();
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source });
    expect(await reservationOf(sku)).toMatchObject({
      key,
      sku,
      nodeId: 'N1',
      quantity: 3,
      pools: {},
      state: 'active',
    });
  });

  test('a release and a consume settle the document', async () => {
    const sku = await stocked();
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source });
    await stock.release({ key, sku, nodeId: 'N1', source });
    expect(await reservationOf(sku)).toMatchObject({ state: 'released', settledAt: expect.any(String) });
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 2, source });
    expect(await reservationOf(sku)).toMatchObject({ state: 'active', quantity: 2 });
    await stock.consume({ key, sku, nodeId: 'N1', source });
    expect(await reservationOf(sku)).toMatchObject({ state: 'consumed', quantity: 2 });
  });

  test('a key reserved again after a release is a new reservation in the ledger', async () => {
    const sku = await stocked();
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source });
    await stock.release({ key, sku, nodeId: 'N1', source });
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source });
    expect(await db.collections.stockLedger.countDocuments({ sku, movement: 'reserve' })).toBe(2);
    expect(await reconcile(sku)).toMatchObject({ drift: [] });
  });

  test('a late write of an older state never overwrites a newer one', async () => {
    const sku = await stocked();
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source });
    const active = (await reservationOf(sku))!;
    await stock.release({ key, sku, nodeId: 'N1', source });
    const entry = { quantity: 3, nonce: active.nonce, at: active.reservedAt };
    await writeReservationDoc(
      db.collections,
      reservationDoc({ _id: '', sku, nodeId: 'N1' }, key, entry, 'active', source),
    );
    expect(await reservationOf(sku)).toMatchObject({ state: 'released' });
  });
});

describe('crashes between the stock update and its follow-up writes', () => {
  test('a reservation whose ledger line was lost is reported, and a retry of it repairs it', async () => {
    const sku = await stocked();
    const crashing = crashingCollections(db.collections, 'stockLedger', 'updateOne');
    await expect(
      createStockRepository(crashing).reserve({ key, sku, nodeId: 'N1', quantity: 3, source }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await checksOf(sku)).toEqual(['ledger_line_missing', 'reservation_doc_mismatch']);
    expect(await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source })).toBe('already_reserved');
    expect(await reconcile(sku)).toMatchObject({ drift: [] });
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 3, available: 7 });
  });

  test('a reservation whose document was lost is repaired by reconciliation', async () => {
    const sku = await stocked();
    const crashing = crashingCollections(db.collections, 'reservations', 'updateOne');
    await expect(
      createStockRepository(crashing).reserve({ key, sku, nodeId: 'N1', quantity: 3, source }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await checksOf(sku)).toEqual(['reservation_doc_mismatch']);
    expect(await reconcile(sku, true)).toMatchObject({ repaired: 1, drift: [] });
    expect(await reservationOf(sku)).toMatchObject({ state: 'active', quantity: 3 });
  });

  test('a release interrupted before its ledger line stays in the outbox: no drift, flushed by a repair', async () => {
    const sku = await stocked();
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source });
    const crashing = crashingCollections(db.collections, 'stockLedger', 'updateOne');
    await expect(
      createStockRepository(crashing).release({ key, sku, nodeId: 'N1', source }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await stock.release({ key, sku, nodeId: 'N1', source })).toBe('not_reserved');
    expect(await reconcile(sku)).toMatchObject({ unflushed: 1, drift: [] });
    expect(await reconcile(sku, true)).toMatchObject({ repaired: 1, drift: [] });
    expect(await reservationOf(sku)).toMatchObject({ state: 'released' });
    expect(await db.collections.stockLedger.countDocuments({ sku, movement: 'release' })).toBe(1);
  });

  test('an adjustment retried with its movement key after a crash is applied once', async () => {
    const sku = await stocked();
    const adjustment = { sku, nodeId: 'N1', delta: 5, reason: 'found', source, movementKey: 'req-1' };
    const crashing = crashingCollections(db.collections, 'stockLedger', 'updateOne');
    await expect(createStockRepository(crashing).adjust(adjustment)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await stock.adjust(adjustment)).toMatchObject({ onHand: 15 });
    expect(await stock.adjust(adjustment)).toMatchObject({ onHand: 15 });
    expect(await db.collections.stockLedger.countDocuments({ sku, movement: 'adjustment' })).toBe(1);
    expect(await reconcile(sku)).toMatchObject({ unflushed: 0, drift: [] });
  });

  test('a count repeated with its movement key is one ledger line', async () => {
    const sku = await stocked();
    const count = { sku, nodeId: 'N1', onHand: 4, source, movementKey: 'count-1' };
    await stock.setCount(count);
    await stock.adjust({ sku, nodeId: 'N1', delta: 1, reason: 'found', source });
    expect(await stock.setCount(count)).toMatchObject({ onHand: 5 });
    expect(await db.collections.stockLedger.countDocuments({ sku, movement: 'cycle_count' })).toBe(2);
  });
});

describe('reconciliation', () => {
  test('after a mix of movements everything agrees', async () => {
    const sku = await stocked(20);
    await stock.setHold({ sku, nodeId: 'N1', pool: 'segment:vip', quantity: 4, source });
    await stock.reserve({ key: 'a:1:N1', sku, nodeId: 'N1', quantity: 6, source, pool: { segment: 'vip' } });
    await stock.reserve({ key: 'b:1:N1', sku, nodeId: 'N1', quantity: 2, source });
    await stock.consume({ key: 'b:1:N1', sku, nodeId: 'N1', source });
    await stock.adjust({ sku, nodeId: 'N1', delta: -3, reason: 'damaged', source });
    await stock.release({ key: 'a:1:N1', sku, nodeId: 'N1', source });
    expect(await reconcile(sku)).toEqual({
      checked: 1,
      drift: [],
      unflushed: 0,
      repaired: 0,
      at: expect.any(String),
    });
  });

  test('a counter changed behind the ledger is reported', async () => {
    const sku = await stocked();
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source });
    await db.collections.inventory.updateOne({ _id: `${sku}@N1` }, { $inc: { reserved: 1 } });
    const report = await reconcile(sku);
    expect(report.drift.map((d) => d.check).sort()).toEqual([
      'available_formula',
      'reserved_vs_ledger',
      'reserved_vs_reservations',
    ]);
    expect(report.drift).toContainEqual(
      expect.objectContaining({
        sku,
        nodeId: 'N1',
        check: 'reserved_vs_reservations',
        expected: 3,
        actual: 4,
      }),
    );
  });

  test('on-hand changed behind the ledger is reported', async () => {
    const sku = await stocked();
    await db.collections.inventory.updateOne({ _id: `${sku}@N1` }, { $inc: { onHand: 2, available: 2 } });
    expect(await checksOf(sku)).toEqual(['on_hand_vs_ledger']);
  });

  test('a reservation document left active after its reservation ended is reported', async () => {
    const sku = await stocked();
    await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source });
    await db.collections.inventory.updateOne(
      { _id: `${sku}@N1` },
      { $unset: { [`reservations.${key}`]: '' }, $inc: { reserved: -3, available: 3 } },
    );
    expect(await checksOf(sku)).toEqual(['reservation_doc_stale', 'reserved_vs_ledger']);
  });
});
