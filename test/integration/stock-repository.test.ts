import { MongoClient } from 'mongodb';
import { getCollections, ensureIndexes, type Collections } from '../../src/db/collections';
import { inventoryId } from '../../src/db/documents';
import { createStockRepository, type StockRepository } from '../../src/inventory/stock-repository';
import { ConflictError, NotFoundError } from '../../src/errors';

const DB_NAME = `stock_repository_${process.pid}_${Date.now()}`;
let client: MongoClient;
let collections: Collections;
let stock: StockRepository;
let skuCounter = 0;
const nextSku = (): string => `SKU-${++skuCounter}`;

beforeAll(async () => {
  client = new MongoClient(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017');
  await client.connect();
  collections = getCollections(client.db(DB_NAME));
  await ensureIndexes(collections);
  stock = createStockRepository(collections);
});

afterAll(async () => {
  await client.db(DB_NAME).dropDatabase();
  await client.close();
});

describe('cycle counts and adjustments', () => {
  test('a first count creates the record with available = onHand - safetyStock', async () => {
    const sku = nextSku();
    const record = await stock.setCount({ sku, nodeId: 'N1', onHand: 10, safetyStock: 2, source: 'test' });
    expect(record).toEqual({ sku, nodeId: 'N1', onHand: 10, reserved: 0, safetyStock: 2, available: 8 });
  });

  test('a recount keeps reservations and moves available by the difference', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 10, source: 'test' });
    await stock.reserve({ key: 'o1:l1:N1', sku, nodeId: 'N1', quantity: 3, source: 'test' });
    const record = await stock.setCount({ sku, nodeId: 'N1', onHand: 6, safetyStock: 1, source: 'test' });
    expect(record).toEqual({ sku, nodeId: 'N1', onHand: 6, reserved: 3, safetyStock: 1, available: 2 });
  });

  test('a count below what is reserved is a conflict', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 5, source: 'test' });
    await stock.reserve({ key: 'o1:l1:N1', sku, nodeId: 'N1', quantity: 4, source: 'test' });
    await expect(stock.setCount({ sku, nodeId: 'N1', onHand: 3, source: 'test' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  test('an adjustment below reserved or below zero is a conflict', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 5, source: 'test' });
    await stock.reserve({ key: 'o1:l1:N1', sku, nodeId: 'N1', quantity: 2, source: 'test' });
    await expect(
      stock.adjust({ sku, nodeId: 'N1', delta: -4, reason: 'damaged', source: 'test' }),
    ).rejects.toBeInstanceOf(ConflictError);
    const record = await stock.adjust({ sku, nodeId: 'N1', delta: -3, reason: 'damaged', source: 'test' });
    expect(record).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
  });

  test('a negative adjustment of unknown stock is not found, a positive one creates it', async () => {
    const sku = nextSku();
    await expect(
      stock.adjust({ sku, nodeId: 'N1', delta: -1, reason: 'x', source: 'test' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(
      await stock.adjust({ sku, nodeId: 'N1', delta: 4, reason: 'found', source: 'test' }),
    ).toMatchObject({
      onHand: 4,
      available: 4,
    });
  });

  test('concurrent adjustments all apply: no lost update', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 0, source: 'test' });
    await Promise.all(
      Array.from({ length: 40 }, () =>
        stock.adjust({ sku, nodeId: 'N1', delta: 1, reason: 'receipt', source: 'test' }),
      ),
    );
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ onHand: 40, available: 40 });
  });

  test('concurrent first counts of a new record create it exactly once', async () => {
    const sku = nextSku();
    await Promise.all(
      Array.from({ length: 10 }, () =>
        stock.adjust({ sku, nodeId: 'N1', delta: 2, reason: 'r', source: 'test' }),
      ),
    );
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ onHand: 20, available: 20 });
  });

  test('every movement writes one ledger entry', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 10, source: 'test' });
    await stock.adjust({ sku, nodeId: 'N1', delta: -2, reason: 'damaged', source: 'test' });
    const entries = await collections.stockLedger.find({ sku }).toArray();
    expect(entries.map((e) => [e.movement, e.onHandDelta]).sort()).toEqual([
      ['adjustment', -2],
      ['cycle_count', 10],
    ]);
  });
});

describe('reservations', () => {
  test('300 concurrent reservations of one unit over stock 100 reserve exactly 100', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 100, source: 'test' });
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        stock.reserve({ key: `o${i}:l1:N1`, sku, nodeId: 'N1', quantity: 1, source: 'test' }),
      ),
    );
    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(100);
    expect(outcomes.filter((o) => o === 'insufficient')).toHaveLength(200);
    const record = await stock.getRecord(sku, 'N1');
    expect(record).toMatchObject({ onHand: 100, reserved: 100, available: 0 });
    expect(record!.reserved).toBeLessThanOrEqual(record!.onHand);
  });

  test('the same key twice reserves once', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 10, source: 'test' });
    const key = 'o1:l1:N1';
    expect(await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source: 'test' })).toBe('reserved');
    expect(await stock.reserve({ key, sku, nodeId: 'N1', quantity: 3, source: 'test' })).toBe(
      'already_reserved',
    );
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 3, available: 7 });
    expect(await collections.stockLedger.countDocuments({ sku, movement: 'reserve' })).toBe(1);
  });

  test('the same key raced concurrently reserves once', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 10, source: 'test' });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        stock.reserve({ key: 'o1:l1:N1', sku, nodeId: 'N1', quantity: 2, source: 'test' }),
      ),
    );
    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(1);
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ reserved: 2, available: 8 });
  });

  test('safety stock is not reservable', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 5, safetyStock: 2, source: 'test' });
    expect(await stock.reserve({ key: 'o1:l1:N1', sku, nodeId: 'N1', quantity: 4, source: 'test' })).toBe(
      'insufficient',
    );
    expect(await stock.reserve({ key: 'o1:l1:N1', sku, nodeId: 'N1', quantity: 3, source: 'test' })).toBe(
      'reserved',
    );
  });

  test('a reservation on a SKU with no record is insufficient', async () => {
    expect(
      await stock.reserve({ key: 'o1:l1:N1', sku: nextSku(), nodeId: 'N1', quantity: 1, source: 'test' }),
    ).toBe('insufficient');
  });

  test('release gives the units back once', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 10, source: 'test' });
    await stock.reserve({ key: 'o1:l1:N1', sku, nodeId: 'N1', quantity: 4, source: 'test' });
    expect(await stock.release({ key: 'o1:l1:N1', sku, nodeId: 'N1', source: 'test' })).toBe('released');
    expect(await stock.release({ key: 'o1:l1:N1', sku, nodeId: 'N1', source: 'test' })).toBe('not_reserved');
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const doc = await collections.inventory.findOne({ _id: inventoryId(sku, 'N1') });
    expect(doc?.reservations).toEqual({});
  });

  test('consume ships the units: on-hand and reserved drop, available stays', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 10, source: 'test' });
    await stock.reserve({ key: 'o1:l1:N1', sku, nodeId: 'N1', quantity: 4, source: 'test' });
    const outcomes = await Promise.all([
      stock.consume({ key: 'o1:l1:N1', sku, nodeId: 'N1', source: 'test' }),
      stock.consume({ key: 'o1:l1:N1', sku, nodeId: 'N1', source: 'test' }),
    ]);
    expect(outcomes.sort()).toEqual(['consumed', 'not_reserved']);
    expect(await stock.getRecord(sku, 'N1')).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    expect(await collections.stockLedger.countDocuments({ sku, movement: 'ship' })).toBe(1);
  });

  test('reservations racing a recount never leave reserved above on-hand', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 50, source: 'test' });
    const reserves = Array.from({ length: 60 }, (_, i) =>
      stock.reserve({ key: `o${i}:l1:N1`, sku, nodeId: 'N1', quantity: 1, source: 'test' }),
    );
    const count = stock.setCount({ sku, nodeId: 'N1', onHand: 30, source: 'test' }).catch((e: unknown) => e);
    const [outcomes, counted] = await Promise.all([Promise.all(reserves), count]);
    const record = (await stock.getRecord(sku, 'N1'))!;
    const reserved = outcomes.filter((o) => o === 'reserved').length;
    expect(record.reserved).toBe(reserved);
    expect(record.reserved).toBeLessThanOrEqual(record.onHand);
    expect(record.available).toBe(record.onHand - record.reserved);
    if (counted instanceof Error) expect(counted).toBeInstanceOf(ConflictError);
  });
});

describe('availability', () => {
  test('lists every node per SKU with available clamped at zero', async () => {
    const sku = nextSku();
    await stock.setCount({ sku, nodeId: 'N1', onHand: 5, source: 'test' });
    await stock.setCount({ sku, nodeId: 'N2', onHand: 1, safetyStock: 3, source: 'test' });
    const view = await stock.availabilityFor([sku, 'UNKNOWN']);
    expect(view.get(sku)).toEqual([
      { nodeId: 'N1', available: 5 },
      { nodeId: 'N2', available: 0 },
    ]);
    expect(view.get('UNKNOWN')).toEqual([]);
  });
});
