import { createStockActivities } from '../../activities/stock.activities';
import type { ActivityDeps } from '../../activities/deps';
import { inventoryId } from '../../src/db/documents';
import { reconcileInventory } from '../../src/inventory/reconcile';
import { createStockRepository, type StockRepository } from '../../src/inventory/stock-repository';
import {
  crashingCollections,
  openInventoryDb,
  SimulatedCrash,
  type InventoryDb,
} from './support/inventory-db';

const CLIENTS = 3;
let db: InventoryDb;
let stock: StockRepository;
let skuCounter = 0;
const source = 'test';
const nodeId = 'N1';

beforeAll(async () => {
  db = await openInventoryDb('adjust_write_off', CLIENTS);
  stock = createStockRepository(db.collections);
});
afterAll(() => db.close());

const activitiesOn = (collections = db.collections) =>
  createStockActivities({ collections } as unknown as ActivityDeps);

/** A SKU with `onHand` units at N1 and `reserved` of them reserved for order o1, line l1. */
async function reservedSku(onHand: number, reserved: number, orderId = 'o1') {
  const sku = `ADJ-${++skuCounter}`;
  await stock.setCount({ sku, nodeId, onHand, source });
  const line = { key: `${orderId}:l1:${nodeId}`, sku, quantity: reserved };
  expect(await activitiesOn().reserveOrderAtNode({ orderId, nodeId, lines: [line] })).toBe('reserved');
  return { sku, line };
}
const recordOf = (sku: string) => stock.getRecord(sku, nodeId);
const driftOf = async (sku: string) => (await reconcileInventory(db.collections, { skus: [sku] })).drift;
const ledgerOf = (sku: string) =>
  db.collections.stockLedger.find({ sku, nodeId }).sort({ at: 1, _id: 1 }).toArray();

describe('adjustReservedLine', () => {
  test('lowering a line gives the units back and the ledger nets to the delta', async () => {
    const { sku, line } = await reservedSku(10, 4);
    const outcome = await activitiesOn().adjustReservedLine({
      orderId: 'o1',
      nodeId,
      line: { ...line, quantity: 1 },
    });
    expect(outcome).toBe('adjusted');
    expect(await recordOf(sku)).toMatchObject({ onHand: 10, reserved: 1, available: 9 });
    const ledger = await ledgerOf(sku);
    expect(ledger.reduce((sum, l) => sum + l.reservedDelta, 0)).toBe(1);
    expect(ledger.filter((l) => l.reason.startsWith('adjust'))).toHaveLength(2);
    expect(await driftOf(sku)).toEqual([]);
  });

  test('raising a line takes the extra units when they are available', async () => {
    const { sku, line } = await reservedSku(10, 2);
    const adjust = activitiesOn().adjustReservedLine;
    expect(await adjust({ orderId: 'o1', nodeId, line: { ...line, quantity: 7 } })).toBe('adjusted');
    expect(await recordOf(sku)).toMatchObject({ reserved: 7, available: 3 });
    expect(await driftOf(sku)).toEqual([]);
  });

  test('raising beyond what is available answers insufficient and changes nothing', async () => {
    const { sku, line } = await reservedSku(5, 2);
    const adjust = activitiesOn().adjustReservedLine;
    expect(await adjust({ orderId: 'o1', nodeId, line: { ...line, quantity: 6 } })).toBe('insufficient');
    expect(await recordOf(sku)).toMatchObject({ reserved: 2, available: 3 });
    expect(await driftOf(sku)).toEqual([]);
  });

  test('a retried call with the same target changes nothing more', async () => {
    const { sku, line } = await reservedSku(10, 2);
    const adjust = activitiesOn().adjustReservedLine;
    const input = { orderId: 'o1', nodeId, line: { ...line, quantity: 5 } };
    expect(await adjust(input)).toBe('adjusted');
    const ledgerBefore = await ledgerOf(sku);
    expect(await adjust(input)).toBe('adjusted');
    expect(await recordOf(sku)).toMatchObject({ reserved: 5, available: 5 });
    expect(await ledgerOf(sku)).toEqual(ledgerBefore);
    expect(await driftOf(sku)).toEqual([]);
  });

  test('a retry after a crash before the follow-up writes completes them', async () => {
    const { sku, line } = await reservedSku(10, 2);
    const crashing = crashingCollections(db.collections, 'stockLedger', 'updateOne');
    const input = { orderId: 'o1', nodeId, line: { ...line, quantity: 3 } };
    await expect(activitiesOn(crashing).adjustReservedLine(input)).rejects.toThrow(SimulatedCrash);
    expect((await reconcileInventory(db.collections, { skus: [sku] })).unflushed).toBe(1);
    expect(await activitiesOn().adjustReservedLine(input)).toBe('adjusted');
    const doc = await db.collections.inventory.findOne({ _id: inventoryId(sku, nodeId) });
    expect(doc?.pending ?? {}).toEqual({});
    expect(await recordOf(sku)).toMatchObject({ reserved: 3, available: 7 });
    expect(await driftOf(sku)).toEqual([]);
  });

  test('a line that is not reserved answers not_reserved', async () => {
    const { sku } = await reservedSku(10, 2);
    const line = { key: 'other:l1:N1', sku, quantity: 3 };
    expect(await activitiesOn().adjustReservedLine({ orderId: 'other', nodeId, line })).toBe('not_reserved');
  });

  test('raising a channel order takes its channel hold first, and lowering gives the units back to it', async () => {
    const sku = `ADJ-${++skuCounter}`;
    await stock.setCount({ sku, nodeId, onHand: 10, source });
    await stock.setHold({ sku, nodeId, pool: 'channel:marketplace', quantity: 4, source });
    const pool = { channel: 'marketplace' };
    const line = { key: 'mk:l1:N1', sku, quantity: 1 };
    const activities = activitiesOn();
    await activities.reserveOrderAtNode({ orderId: 'mk', nodeId, lines: [line], pool });
    expect(
      await activities.adjustReservedLine({ orderId: 'mk', nodeId, line: { ...line, quantity: 6 } }),
    ).toBe('adjusted');
    expect(await recordOf(sku)).toMatchObject({ reserved: 6, held: 0, available: 4 });
    expect(
      await activities.adjustReservedLine({ orderId: 'mk', nodeId, line: { ...line, quantity: 2 } }),
    ).toBe('adjusted');
    expect(await recordOf(sku)).toMatchObject({ reserved: 2, held: 2, available: 6 });
    expect(await driftOf(sku)).toEqual([]);
  });

  test('raises racing new reserves for the last units never oversell', async () => {
    const { sku, line } = await reservedSku(20, 5);
    const raises = Array.from({ length: 10 }, (_, i) =>
      activitiesOn(db.handles[i % CLIENTS]).adjustReservedLine({
        orderId: 'o1',
        nodeId,
        line: { ...line, quantity: 6 + i },
      }),
    );
    const reserves = Array.from({ length: 20 }, (_, i) =>
      createStockRepository(db.handles[(i + 1) % CLIENTS]!).reserve({
        key: `r${i}:l1:${nodeId}`,
        sku,
        nodeId,
        quantity: 1,
        source,
      }),
    );
    const outcomes = await Promise.all([...raises, ...reserves]);
    const record = (await recordOf(sku))!;
    const doc = await db.collections.inventory.findOne({ _id: inventoryId(sku, nodeId) });
    const lineQuantity = (doc?.reservations[line.key] as { quantity: number }).quantity;
    const confirmed = outcomes.slice(raises.length).filter((o) => o === 'reserved').length;
    expect(record.reserved).toBe(lineQuantity + confirmed);
    expect(record.reserved).toBeLessThanOrEqual(record.onHand);
    expect(record.available).toBeGreaterThanOrEqual(0);
    expect(await driftOf(sku)).toEqual([]);
  });
});

describe('writeOffMissingStock', () => {
  test('releases the reservation and takes the units out of on-hand, with the reason in the ledger', async () => {
    const { sku, line } = await reservedSku(10, 3);
    await activitiesOn().writeOffMissingStock({
      orderId: 'o1',
      nodeId,
      lines: [line],
      reason: 'shelf empty',
    });
    expect(await recordOf(sku)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    const writeOff = (await ledgerOf(sku)).find((l) => l.movement === 'adjustment' && l.onHandDelta === -3);
    expect(writeOff?.reason).toContain('shelf empty');
    expect(await driftOf(sku)).toEqual([]);
  });

  test('a retry changes nothing more', async () => {
    const { sku, line } = await reservedSku(10, 3);
    const input = { orderId: 'o1', nodeId, lines: [line], reason: 'shelf empty' };
    await activitiesOn().writeOffMissingStock(input);
    await activitiesOn().writeOffMissingStock(input);
    expect(await recordOf(sku)).toMatchObject({ onHand: 7, reserved: 0 });
    expect(await driftOf(sku)).toEqual([]);
  });

  test('a retry after a crash before the follow-up writes completes them once', async () => {
    const { sku, line } = await reservedSku(10, 3);
    const input = { orderId: 'o1', nodeId, lines: [line], reason: 'shelf empty' };
    const crashing = crashingCollections(db.collections, 'stockLedger', 'updateOne');
    await expect(activitiesOn(crashing).writeOffMissingStock(input)).rejects.toThrow(SimulatedCrash);
    await activitiesOn().writeOffMissingStock(input);
    const doc = await db.collections.inventory.findOne({ _id: inventoryId(sku, nodeId) });
    expect(doc?.pending ?? {}).toEqual({});
    expect(await recordOf(sku)).toMatchObject({ onHand: 7, reserved: 0 });
    expect(await driftOf(sku)).toEqual([]);
  });

  test('on-hand never drops below what other orders still reserve', async () => {
    const { sku, line } = await reservedSku(5, 2);
    await stock.reserve({ key: 'o2:l1:N1', sku, nodeId, quantity: 3, source });
    const missing = { ...line, quantity: 4 }; // more missing than this order reserved
    await activitiesOn().writeOffMissingStock({ orderId: 'o1', nodeId, lines: [missing], reason: 'gone' });
    expect(await recordOf(sku)).toMatchObject({ onHand: 3, reserved: 3, available: 0 });
    expect(await driftOf(sku)).toEqual([]);
  });

  test('a write-off racing reserves of the same SKU keeps reserved within on-hand', async () => {
    const { sku, line } = await reservedSku(12, 4);
    const reserves = Array.from({ length: 12 }, (_, i) =>
      createStockRepository(db.handles[i % CLIENTS]!).reserve({
        key: `w${i}:l1:${nodeId}`,
        sku,
        nodeId,
        quantity: 1,
        source,
      }),
    );
    const writeOff = activitiesOn(db.handles[1]).writeOffMissingStock({
      orderId: 'o1',
      nodeId,
      lines: [line],
      reason: 'shelf empty',
    });
    const outcomes = await Promise.all([...reserves, writeOff]);
    const record = (await recordOf(sku))!;
    const confirmed = outcomes.filter((o) => o === 'reserved').length;
    expect(record.onHand).toBe(8);
    expect(record.reserved).toBe(confirmed);
    expect(confirmed).toBeLessThanOrEqual(8);
    expect(record.reserved).toBeLessThanOrEqual(record.onHand);
    expect(await driftOf(sku)).toEqual([]);
  });
});
