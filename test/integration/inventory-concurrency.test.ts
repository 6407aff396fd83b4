import type { Collections } from '../../src/db/collections';
import { inventoryId } from '../../src/db/documents';
import { reconcileInventory } from '../../src/inventory/reconcile';
import { createStockRepository, type PoolCaller } from '../../src/inventory/stock-repository';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

// Several connection pools, so the reservations really race on the server rather than queue in one driver.
const CLIENTS = 4;
let db: InventoryDb;

beforeAll(async () => {
  db = await openInventoryDb('inventory_race', CLIENTS);
});
afterAll(() => db.close());

interface Order {
  orderId: string;
  pool?: PoolCaller;
}

/** Reserves one unit for the order at the first node (from its preferred one on) that has it, like sourcing. */
async function reserveSomewhere(c: Collections, sku: string, nodes: string[], order: Order, start: number) {
  const stock = createStockRepository(c);
  for (let i = 0; i < nodes.length; i++) {
    const nodeId = nodes[(start + i) % nodes.length] as string;
    const outcome = await stock.reserve({
      key: `${order.orderId}:l1:${nodeId}`,
      sku,
      nodeId,
      quantity: 1,
      source: `order:${order.orderId}`,
      ...(order.pool ? { pool: order.pool } : {}),
    });
    if (outcome === 'reserved') return nodeId;
  }
  return null;
}

/** Reads every node's record until `done`, and records any moment where reserved exceeded on-hand. */
async function watchInvariant(c: Collections, sku: string, nodes: string[], done: () => boolean) {
  const violations: string[] = [];
  let samples = 0;
  while (!done()) {
    const docs = await c.inventory.find({ _id: { $in: nodes.map((n) => inventoryId(sku, n)) } }).toArray();
    for (const doc of docs) {
      if (doc.reserved < 0 || doc.reserved + (doc.heldTotal ?? 0) > doc.onHand || doc.available < 0) {
        violations.push(JSON.stringify(doc));
      }
    }
    samples += 1;
  }
  return { violations, samples };
}

async function race(sku: string, nodes: string[], orders: Order[]) {
  let finished = false;
  const watcher = watchInvariant(db.handles[0]!, sku, nodes, () => finished);
  const placed = await Promise.all(
    orders.map(async (order, i) => ({
      order,
      nodeId: await reserveSomewhere(db.handles[i % CLIENTS]!, sku, nodes, order, i),
    })),
  );
  finished = true;
  return { placed, watched: await watcher };
}

async function records(sku: string, nodes: string[]) {
  const stock = createStockRepository(db.collections);
  return Promise.all(nodes.map(async (nodeId) => (await stock.getRecord(sku, nodeId))!));
}

test('700 concurrent one-unit orders over 5 nodes holding 500 units confirm exactly 500', async () => {
  const sku = 'HOT-1';
  const supply: Record<string, number> = { N1: 200, N2: 150, N3: 100, N4: 40, N5: 10 };
  const nodes = Object.keys(supply);
  const stock = createStockRepository(db.collections);
  for (const nodeId of nodes) await stock.setCount({ sku, nodeId, onHand: supply[nodeId]!, source: 'test' });

  const orders = Array.from({ length: 700 }, (_, i) => ({ orderId: `h1-${i}` }));
  const { placed, watched } = await race(sku, nodes, orders);

  expect(placed.filter((p) => p.nodeId !== null)).toHaveLength(500);
  expect(watched.violations).toEqual([]);
  expect(watched.samples).toBeGreaterThan(0);
  for (const record of await records(sku, nodes)) {
    const confirmedHere = placed.filter((p) => p.nodeId === record.nodeId).length;
    expect(record).toMatchObject({ onHand: supply[record.nodeId], reserved: confirmedHere, available: 0 });
  }
  expect(await db.collections.reservations.countDocuments({ sku, state: 'active' })).toBe(500);
  expect(await reconcileInventory(db.collections, { skus: [sku] })).toMatchObject({ checked: 5, drift: [] });
});

test('with marketplace holds, 600 concurrent orders never give held units to another channel', async () => {
  const sku = 'HOT-2';
  const nodes = ['N1', 'N2', 'N3'];
  const stock = createStockRepository(db.collections);
  for (const nodeId of nodes) {
    await stock.setCount({ sku, nodeId, onHand: 100, source: 'test' });
    await stock.setHold({ sku, nodeId, pool: 'channel:marketplace', quantity: 30, source: 'test' });
  }
  const orders: Order[] = Array.from({ length: 600 }, (_, i) =>
    i % 2 === 0
      ? { orderId: `h2-mp-${i}`, pool: { channel: 'marketplace' } }
      : { orderId: `h2-web-${i}`, pool: { channel: 'web' } },
  );
  const { placed, watched } = await race(sku, nodes, orders);

  const confirmed = placed.filter((p) => p.nodeId !== null);
  const web = confirmed.filter((p) => p.order.pool?.channel === 'web');
  const marketplace = confirmed.filter((p) => p.order.pool?.channel === 'marketplace');
  expect(confirmed).toHaveLength(300);
  expect(web.length).toBeLessThanOrEqual(210);
  expect(marketplace.length).toBeGreaterThanOrEqual(90);
  expect(watched.violations).toEqual([]);
  const fromHolds = await db.collections.reservations.find({ sku, 'pools.channel:marketplace': 1 }).toArray();
  expect(fromHolds).toHaveLength(90);
  expect(fromHolds.every((r) => r.key.startsWith('h2-mp-'))).toBe(true);
  for (const record of await records(sku, nodes)) {
    expect(record).toMatchObject({ onHand: 100, reserved: 100, available: 0, held: 0 });
  }
  expect(await reconcileInventory(db.collections, { skus: [sku] })).toMatchObject({ checked: 3, drift: [] });
});
