import { MongoClient, type Collection } from 'mongodb';
import { testMongoUri } from '../support/servers';

// The dev server's launcher looks a filter's plain _id equality up through the _id index even when the filter
// has further conditions (mongo-java-server alone scans the whole collection for those: ~45 conditional
// updates/s against ~3,000/s with 100,000 documents). The conditions must still decide, exactly as before.

const uri = testMongoUri('conformance_id_lookup');
const SEEDED = 50_000;
const TIMED_UPDATES = 150;

interface StockDoc {
  _id: string;
  available: number;
  node: string;
  reservations: Record<string, number>;
}

let client: MongoClient;
let stock: Collection<StockDoc>;

const idOf = (index: number): string => `sku-${index}@node-1`;

beforeAll(async () => {
  client = await new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 }).connect();
  await client.db().dropDatabase();
  stock = client.db().collection<StockDoc>('stock');
  for (let start = 0; start < SEEDED; start += 5_000) {
    await stock.insertMany(
      Array.from({ length: 5_000 }, (_, offset) => ({
        _id: idOf(start + offset),
        available: 1_000_000,
        node: 'node-1',
        reservations: {},
      })),
    );
  }
});

afterAll(async () => {
  await client.close();
});

/** Milliseconds taken by TIMED_UPDATES sequential updates, each through the filter made for its document. */
async function timeUpdates(filterFor: (id: string) => object): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < TIMED_UPDATES; i += 1) {
    const id = idOf((i * 331) % SEEDED);
    const result = await stock.updateOne(filterFor(id), { $inc: { available: -1 } });
    expect(result.modifiedCount).toBe(1);
  }
  return performance.now() - started;
}

test('a conditional update filtered on _id plus a condition is about as fast as one filtered on _id alone', async () => {
  // Alternating rounds and the best of each keep a busy machine from favouring either side.
  let plain = Infinity;
  let conditional = Infinity;
  for (let round = 0; round < 3; round += 1) {
    plain = Math.min(plain, await timeUpdates((id) => ({ _id: id })));
    conditional = Math.min(conditional, await timeUpdates((id) => ({ _id: id, available: { $gte: 1 } })));
  }

  // A scan of 50,000 documents made it some 60 times slower; an index lookup keeps it within a small factor.
  expect(conditional).toBeLessThan(plain * 5);
});

test('the condition still refuses: a decrement larger than what is available changes nothing', async () => {
  const id = 'sku-refuse@node-1';
  await stock.insertOne({ _id: id, available: 3, node: 'node-1', reservations: {} });

  const refused = await stock.updateOne({ _id: id, available: { $gte: 4 } }, { $inc: { available: -4 } });
  const accepted = await stock.updateOne({ _id: id, available: { $gte: 3 } }, { $inc: { available: -3 } });

  expect(refused.matchedCount).toBe(0);
  expect(accepted.modifiedCount).toBe(1);
  expect((await stock.findOne({ _id: id }))?.available).toBe(0);
});

test('an extra field that does not match leaves find, update, delete and findOneAndUpdate without a match', async () => {
  const id = 'sku-other@node-1';
  await stock.insertOne({ _id: id, available: 5, node: 'node-1', reservations: {} });
  const mismatch = { _id: id, node: 'node-2' };

  expect(await stock.findOne(mismatch)).toBeNull();
  expect((await stock.updateOne(mismatch, { $set: { available: 0 } })).matchedCount).toBe(0);
  expect(await stock.findOneAndUpdate(mismatch, { $set: { available: 0 } })).toBeNull();
  expect((await stock.deleteOne(mismatch)).deletedCount).toBe(0);
  expect(await stock.findOne({ _id: id })).toEqual({
    _id: id,
    available: 5,
    node: 'node-1',
    reservations: {},
  });
});

test('a matching extra field finds, updates and deletes the document', async () => {
  const id = 'sku-same@node-1';
  await stock.insertOne({ _id: id, available: 5, node: 'node-1', reservations: {} });
  const match = { _id: id, node: 'node-1' };

  expect((await stock.findOne(match))?.available).toBe(5);
  expect(
    await stock.findOneAndUpdate(match, { $inc: { available: -2 } }, { returnDocument: 'after' }),
  ).toEqual({ _id: id, available: 3, node: 'node-1', reservations: {} });
  expect((await stock.deleteOne(match)).deletedCount).toBe(1);
  expect(await stock.findOne({ _id: id })).toBeNull();
});

test('$exists: false on a nested key lets the first reservation of an order in and refuses the second', async () => {
  const id = 'sku-nested@node-1';
  await stock.insertOne({ _id: id, available: 5, node: 'node-1', reservations: {} });
  const reserveOnce = (): Promise<number> =>
    stock
      .updateOne(
        { _id: id, 'reservations.order-1': { $exists: false }, available: { $gte: 2 } },
        { $inc: { available: -2 }, $set: { 'reservations.order-1': 2 } },
      )
      .then((result) => result.modifiedCount);

  expect(await reserveOnce()).toBe(1);
  expect(await reserveOnce()).toBe(0);
  expect(await stock.findOne({ _id: id })).toEqual({
    _id: id,
    available: 3,
    node: 'node-1',
    reservations: { 'order-1': 2 },
  });
});
