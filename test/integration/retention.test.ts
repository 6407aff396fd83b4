import { runIdempotently } from '../../src/gateway/idempotency';
import { RETENTION_DAYS, type RetainedCollection } from '../../src/db/retention';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

// Records kept only to answer repeats expire: each carries `expireAt`, and a TTL index lets MongoDB drop it.
const DAY_MS = 24 * 60 * 60 * 1000;
let db: InventoryDb;

beforeAll(async () => {
  db = await openInventoryDb('retention');
});
afterAll(() => db.close());

test('the idempotency, carrier event and payment event collections have a TTL index on expireAt', async () => {
  for (const collection of Object.keys(RETENTION_DAYS) as RetainedCollection[]) {
    const indexes = await db.collections.orders.db.collection(collection).indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'retention', key: { expireAt: 1 }, expireAfterSeconds: 0 }),
      ]),
    );
  }
});

test('an Idempotency-Key record expires a week after its first request', async () => {
  const before = Date.now();
  await runIdempotently(
    db.collections.idempotency,
    {
      principal: { role: 'channel', keyLabel: 'web' },
      key: 'retention-key-1',
      method: 'POST',
      path: '/v1/orders',
      body: { a: 1 },
    },
    async () => ({ status: 201, body: { ok: true } }),
  );
  const [record] = await db.collections.idempotency.find({}).toArray();
  const expireAt = record?.expireAt?.getTime() ?? 0;
  expect(expireAt).toBeGreaterThanOrEqual(before + RETENTION_DAYS.idempotency * DAY_MS);
  expect(expireAt).toBeLessThanOrEqual(Date.now() + RETENTION_DAYS.idempotency * DAY_MS);
});
