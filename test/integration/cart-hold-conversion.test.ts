import { createCartHoldActivities } from '../../activities/cart-hold.activities';
import type { ActivityDeps } from '../../activities/deps';
import { createStockActivities } from '../../activities/stock.activities';
import type { NodeDoc } from '../../src/db/documents';
import { cartHoldKey } from '../../src/domain/cart-hold';
import { reconcileInventory } from '../../src/inventory/reconcile';
import { createStockRepository } from '../../src/inventory/stock-repository';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

let db: InventoryDb;
let skuCounter = 0;
const NOW = '2030-03-04T09:00:00.000Z';
const nodes: NodeDoc[] = [
  {
    _id: 'WH-LYON',
    name: 'Lyon',
    type: 'warehouse',
    location: { lat: 45.764, lon: 4.8357, postalCode: '69001', country: 'FR' },
    capabilities: ['ship'],
    updatedAt: NOW,
  },
  {
    _id: 'WH-PARIS',
    name: 'Paris',
    type: 'warehouse',
    location: { lat: 48.8566, lon: 2.3522, postalCode: '75001', country: 'FR' },
    capabilities: ['ship'],
    updatedAt: NOW,
  },
];
const delivery = {
  method: 'ship' as const,
  address: {
    line1: '1 rue',
    city: 'Villeurbanne',
    postalCode: '69100',
    country: 'FR',
    lat: 45.77,
    lon: 4.89,
  },
};

beforeAll(async () => {
  db = await openInventoryDb('cart_hold_conversion');
  await db.collections.nodes.insertMany(nodes);
});
afterAll(() => db.close());

const deps = () => ({ collections: db.collections }) as unknown as ActivityDeps;

/** A SKU stocked at both warehouses, two units of it held at Lyon by a fresh hold. */
async function heldSku() {
  const sku = `CHC-${++skuCounter}`;
  const holdId = `h${skuCounter}`;
  const stock = createStockRepository(db.collections);
  for (const nodeId of ['WH-LYON', 'WH-PARIS'])
    await stock.setCount({ sku, nodeId, onHand: 5, source: 'test' });
  const line = { lineId: 'l1', sku, quantity: 2 };
  await createStockActivities(deps()).reserveOrderAtNode({
    orderId: holdId,
    nodeId: 'WH-LYON',
    lines: [{ key: cartHoldKey(holdId, 'l1', 'WH-LYON'), sku, quantity: 2 }],
  });
  return { sku, holdId, line };
}

test('the plan of a held order is the engine plan on the hold node, with distance, cost and promise', async () => {
  const { holdId, line } = await heldSku();
  const planned = await createCartHoldActivities(deps()).planCartHoldConversion({
    holdId,
    lines: [line],
    delivery,
    channel: 'web',
    now: NOW,
  });
  if (planned.outcome !== 'held') throw new Error(`expected held, got ${planned.outcome}`);
  expect(planned.nodeId).toBe('WH-LYON');
  expect(planned.plan.allocations).toHaveLength(1);
  expect(planned.plan.allocations[0]).toMatchObject({ nodeId: 'WH-LYON', lines: [line] });
  expect(planned.plan.totals.costMinor).toBeGreaterThan(0);
  expect(planned.plan.totals.promisedDate! > NOW.slice(0, 10)).toBe(true);
  expect(planned.plan.decision.summary).toMatch(/^cart hold h\d+ at WH-LYON: /);
});

test('a hold that does not cover the lines as ordered plans nothing', async () => {
  const { holdId, line } = await heldSku();
  const planned = await createCartHoldActivities(deps()).planCartHoldConversion({
    holdId,
    lines: [{ ...line, quantity: 3 }],
    delivery,
    channel: 'web',
    now: NOW,
  });
  expect(planned).toEqual({ outcome: 'not_held' });
});

test('a retried conversion answers transferred again and counts the units once', async () => {
  const { sku, holdId, line } = await heldSku();
  const convert = () =>
    createCartHoldActivities(deps()).convertCartHold({ holdId, orderId: `o-${holdId}`, lines: [line] });
  expect(await convert()).toEqual({ outcome: 'transferred', nodeId: 'WH-LYON', nodeType: 'warehouse' });
  expect(await convert()).toEqual({ outcome: 'transferred', nodeId: 'WH-LYON', nodeType: 'warehouse' });
  const record = await createStockRepository(db.collections).getRecord(sku, 'WH-LYON');
  expect(record).toMatchObject({ reserved: 2, available: 3 });
  expect((await reconcileInventory(db.collections, { skus: [sku] })).drift).toEqual([]);
});
