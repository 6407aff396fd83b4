import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { testMongoUri } from '../support/servers';

// The stock design rests on these guarantees: one conditional update per document is atomic, and a unique
// index holds under racing inserts. A server that reads, modifies and writes back without a lock fails here.

const uri = testMongoUri('conformance_atomicity');
const CLIENTS = 4; // separate clients, each with its own connection pool, so the writes really race

interface StockDoc {
  _id: string;
  available: number;
}

interface KeyedDoc {
  key: string;
  attempt: number;
}

let clients: MongoClient[] = [];

/** The collection as seen through the i-th client, so consecutive attempts travel on different connections. */
function collectionVia<T extends object>(index: number, name: string): Collection<T> {
  const client = clients[index % clients.length] as MongoClient;
  return client.db().collection<T>(name);
}

beforeAll(async () => {
  clients = await Promise.all(
    Array.from({ length: CLIENTS }, () =>
      new MongoClient(uri, { maxPoolSize: 25, serverSelectionTimeoutMS: 10_000 }).connect(),
    ),
  );
  await (clients[0] as MongoClient).db().dropDatabase();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

async function decrementConcurrently(
  collectionName: string,
  quantities: readonly number[],
): Promise<boolean[]> {
  return Promise.all(
    quantities.map(async (quantity, index) => {
      const result = await collectionVia<StockDoc>(index, collectionName).updateOne(
        { _id: 'sku-1@node-1', available: { $gte: quantity } },
        { $inc: { available: -quantity } },
      );
      return result.modifiedCount === 1;
    }),
  );
}

test('of 240 concurrent conditional decrements of one unit on a stock of 50, exactly 50 succeed and none is left', async () => {
  const stock = collectionVia<StockDoc>(0, 'stock_units');
  await stock.insertOne({ _id: 'sku-1@node-1', available: 50 });

  const outcomes = await decrementConcurrently(
    'stock_units',
    Array.from({ length: 240 }, () => 1),
  );

  expect(outcomes.filter(Boolean)).toHaveLength(50);
  expect(await stock.findOne({ _id: 'sku-1@node-1' })).toEqual({ _id: 'sku-1@node-1', available: 0 });
});

test('concurrent conditional decrements of mixed quantities never take more than the stock', async () => {
  const stock = collectionVia<StockDoc>(0, 'stock_mixed');
  await stock.insertOne({ _id: 'sku-1@node-1', available: 50 });
  const quantities = Array.from({ length: 200 }, (_, index) => 1 + (index % 3));

  const outcomes = await decrementConcurrently('stock_mixed', quantities);

  const taken = quantities.reduce((sum, quantity, index) => sum + (outcomes[index] ? quantity : 0), 0);
  const left = (await stock.findOne({ _id: 'sku-1@node-1' }))?.available;
  expect(left).toBe(50 - taken);
  expect(left).toBeGreaterThanOrEqual(0);
  // Every refused attempt asked for more than what was left at the end.
  const smallestRefused = Math.min(...quantities.filter((_, index) => !outcomes[index]));
  expect(smallestRefused).toBeGreaterThan(left as number);
});

test('of 100 racing inserts of one key against a unique index, exactly one wins and the rest get a duplicate-key error', async () => {
  const keyed = collectionVia<KeyedDoc>(0, 'keyed');
  await keyed.createIndex({ key: 1 }, { unique: true });

  const outcomes = await Promise.allSettled(
    Array.from({ length: 100 }, (_, attempt) =>
      collectionVia<KeyedDoc>(attempt, 'keyed').insertOne({ key: 'order-1', attempt }),
    ),
  );

  expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  const errors = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
  );
  expect(errors.every((error) => error instanceof MongoServerError && error.code === 11000)).toBe(true);
  expect(await keyed.countDocuments({ key: 'order-1' })).toBe(1);
});

test('of 100 racing inserts of one _id, exactly one wins', async () => {
  const byId = collectionVia<{ _id: string; attempt: number }>(0, 'by_id');

  const outcomes = await Promise.allSettled(
    Array.from({ length: 100 }, (_, attempt) =>
      collectionVia<{ _id: string; attempt: number }>(attempt, 'by_id').insertOne({
        _id: 'order-1',
        attempt,
      }),
    ),
  );

  expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  expect(await byId.countDocuments({})).toBe(1);
});
