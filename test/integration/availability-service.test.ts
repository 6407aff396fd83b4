import type { NodeDoc } from '../../src/db/documents';
import {
  createAvailabilityService,
  type AvailabilityService,
} from '../../src/availability/availability-service';
import { createInbound } from '../../src/inventory/inbound-repository';
import { createStockRepository, type StockRepository } from '../../src/inventory/stock-repository';
import { claimNodeCapacity } from '../../src/network/node-capacity';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

// Wednesday 2025-03-05, 09:00 UTC: before every cut-off.
const NOW = new Date('2025-03-05T09:00:00Z');
const PARIS = { postalCode: '75004', country: 'FR', lat: 48.8566, lon: 2.3522 };
const source = 'test';

let db: InventoryDb;
let stock: StockRepository;
let service: AvailabilityService;

function node(
  _id: string,
  type: NodeDoc['type'],
  lat: number,
  lon: number,
  capabilities: NodeDoc['capabilities'],
): NodeDoc {
  return {
    _id,
    name: _id,
    type,
    location: { lat, lon, postalCode: '00000', country: 'FR' },
    capabilities,
    updatedAt: NOW.toISOString(),
  };
}

beforeAll(async () => {
  db = await openInventoryDb('availability_service');
  stock = createStockRepository(db.collections);
  service = createAvailabilityService(db.collections, () => NOW);
  await db.collections.nodes.insertMany([
    node('WH-LYON', 'warehouse', 45.764, 4.8357, ['ship']), // ~390 km from Paris: 3 days standard
    node('ST-PARIS', 'store', 48.857, 2.353, ['ship', 'pickup']),
    node('ST-LILLE', 'store', 50.6292, 3.0573, ['ship', 'pickup']),
  ]);
  await db.collections.products.insertMany(
    ['COAT', 'SCARF', 'BAG', 'HELD'].map((sku) => ({
      _id: sku,
      name: sku,
      priceMinor: 10000,
      currency: 'EUR',
      weightGrams: 800,
      updatedAt: NOW.toISOString(),
    })),
  );
  await stock.setCount({ sku: 'COAT', nodeId: 'WH-LYON', onHand: 5, source });
  await stock.setCount({ sku: 'SCARF', nodeId: 'ST-PARIS', onHand: 2, source });
  await stock.setCount({ sku: 'HELD', nodeId: 'WH-LYON', onHand: 10, safetyStock: 1, source });
  await stock.setHold({ sku: 'HELD', nodeId: 'WH-LYON', pool: 'channel:marketplace', quantity: 4, source });
  await stock.setHold({ sku: 'HELD', nodeId: 'WH-LYON', pool: 'segment:vip', quantity: 2, source });
  await createInbound(db.collections, {
    sku: 'BAG',
    nodeId: 'WH-LYON',
    quantity: 6,
    expectedAt: '2025-03-10T08:00:00Z',
    source,
  });
});
afterAll(() => db.close());

describe('availability per SKU', () => {
  test('each caller sees general availability plus only its own channel and segment holds', async () => {
    const seen = async (caller: { channel?: 'marketplace' | 'web'; segment?: string }) =>
      (await service.skuAvailability({ skus: ['HELD'], ...caller }))[0]?.available;
    expect(await seen({})).toBe(3);
    expect(await seen({ channel: 'web' })).toBe(3);
    expect(await seen({ channel: 'marketplace' })).toBe(7);
    expect(await seen({ segment: 'vip' })).toBe(5);
    expect(await seen({ channel: 'marketplace', segment: 'vip' })).toBe(9);
  });

  test('a SKU only on its way shows 0 available and its next inbound supply', async () => {
    expect(await service.skuAvailability({ skus: ['BAG'] })).toEqual([
      {
        sku: 'BAG',
        available: 0,
        nodes: [],
        nextInbound: {
          quantity: 6,
          expectedAt: '2025-03-10T08:00:00.000Z',
          nodes: [{ nodeId: 'WH-LYON', quantity: 6, expectedAt: '2025-03-10T08:00:00.000Z' }],
        },
      },
    ]);
  });

  test('with a location, nodes carry their distance and come nearest first', async () => {
    await stock.setCount({ sku: 'SCARF', nodeId: 'WH-LYON', onHand: 1, source });
    const [scarf] = await service.skuAvailability({ skus: ['SCARF'], destination: PARIS });
    expect(scarf?.nodes.map((n) => n.nodeId)).toEqual(['ST-PARIS', 'WH-LYON']);
    expect(scarf?.nodes[0]?.distanceKm).toBeLessThan(1);
    expect(scarf?.nodes[1]?.distanceKm).toBeGreaterThan(350);
  });
});

describe('delivery options', () => {
  test('stock at a far warehouse: standard in 3 transit days, express sooner, pickup after a transfer', async () => {
    const result = await service.deliveryOptions({
      lines: [{ sku: 'COAT', quantity: 2 }],
      destination: PARIS,
    });
    const byId = Object.fromEntries(result.options.map((option) => [option.optionId, option]));
    // Dispatch Thu 6th (1 processing day), carrier from Thu: Fri, Mon, Tue.
    expect(byId['ship-standard']?.promisedDate).toBe('2025-03-11');
    expect(byId['ship-standard']?.sources).toEqual([
      expect.objectContaining({
        nodeId: 'WH-LYON',
        lines: [{ sku: 'COAT', quantity: 2 }],
        fromInbound: false,
      }),
    ]);
    expect(byId['ship-express']?.promisedDate).toBe('2025-03-10');
    // Nearest pickup store first; its stock travels from Lyon like a standard parcel.
    expect(result.options.filter((o) => o.method === 'pickup').map((o) => o.pickupNode?.nodeId)).toEqual([
      'ST-PARIS',
      'ST-LILLE',
    ]);
    expect(byId['pickup:ST-PARIS']?.promisedDate).toBe('2025-03-11');
    expect(byId['pickup:ST-PARIS']?.sources[0]?.transferTo).toBe('ST-PARIS');
    expect(result.unavailable).toEqual([]);
  });

  test('stock at the pickup store itself is ready the same day', async () => {
    const result = await service.deliveryOptions({
      lines: [{ sku: 'SCARF', quantity: 2 }],
      destination: PARIS,
      maxPickupStores: 1,
    });
    const pickup = result.options.find((option) => option.optionId === 'pickup:ST-PARIS');
    expect(pickup?.promisedDate).toBe('2025-03-05');
    expect(pickup?.sources).toEqual([expect.objectContaining({ nodeId: 'ST-PARIS', distanceKm: 0 })]);
    expect(result.options.filter((option) => option.method === 'pickup')).toHaveLength(1);
  });

  test('a cart only inbound supply can serve is promised after the supply arrives', async () => {
    const result = await service.deliveryOptions({
      lines: [{ sku: 'BAG', quantity: 3 }],
      destination: PARIS,
    });
    const standard = result.options.find((option) => option.optionId === 'ship-standard');
    expect(standard?.waitsForInbound).toBe(true);
    expect(standard?.sources).toEqual([
      expect.objectContaining({
        nodeId: 'WH-LYON',
        fromInbound: true,
        expectedAt: '2025-03-10T08:00:00.000Z',
      }),
    ]);
    // Received Mon 10th, dispatched Tue 11th, 3 transit days: Fri 14th.
    expect(standard?.promisedDate).toBe('2025-03-14');
  });

  test('units nobody has or expects are reported unavailable, with no option', async () => {
    const result = await service.deliveryOptions({
      lines: [{ sku: 'NOWHERE', quantity: 1 }],
      destination: PARIS,
    });
    expect(result.options).toEqual([]);
    expect(result.unavailable).toEqual([{ sku: 'NOWHERE', quantity: 1 }]);
  });

  test('units held for another channel cannot be promised; the owning channel gets them', async () => {
    const cart = { lines: [{ sku: 'HELD', quantity: 6 }], destination: PARIS };
    expect((await service.deliveryOptions({ ...cart, channel: 'web' })).options).toEqual([]);
    const marketplace = await service.deliveryOptions({ ...cart, channel: 'marketplace' });
    expect(marketplace.options.map((option) => option.optionId)).toContain('ship-standard');
  });

  test('a node that has taken its daily capacity of orders is skipped, as the order itself would skip it', async () => {
    await db.collections.nodes.insertOne({
      ...node('WH-BUSY', 'warehouse', 48.86, 2.35, ['ship']),
      dailyOrderCapacity: 1,
    });
    await stock.setCount({ sku: 'BOOT', nodeId: 'WH-BUSY', onHand: 5, source });
    await stock.setCount({ sku: 'BOOT', nodeId: 'WH-LYON', onHand: 5, source });
    const cart = { lines: [{ sku: 'BOOT', quantity: 1 }], destination: PARIS };
    const standardFrom = async () =>
      (await service.deliveryOptions(cart)).options
        .find((option) => option.optionId === 'ship-standard')
        ?.sources.map((s) => s.nodeId);
    expect(await standardFrom()).toEqual(['WH-BUSY']);
    await claimNodeCapacity(db.collections, { nodeId: 'WH-BUSY', orderId: 'earlier', day: '2025-03-05' }, 1);
    expect(await standardFrom()).toEqual(['WH-LYON']);
  });
});
