import type { Collections } from '../db/collections';
import {
  inventoryId,
  type InboundDoc,
  type InventoryDoc,
  type NodeDoc,
  type ProductDoc,
} from '../db/documents';
import type { SeededRandom } from './seeded-random';

/** The size of the seeded network. */
export interface InventorySeedSize {
  skus: number;
  nodes: number;
}

/** What was seeded, and how long each part took. */
export interface SeededInventory {
  skus: string[];
  nodeIds: string[];
  records: number;
  seconds: { nodes: number; products: number; inventory: number; directory: number; inbound: number };
}

const BATCH = 5_000;
const skuName = (index: number): string => `SKU-${String(index).padStart(5, '0')}`;
const nodeName = (index: number): string => `N${String(index).padStart(3, '0')}`;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return Math.round(performance.now() - started) / 1000;
}

/** Writes documents in unordered batches, several batches in flight (the server applies them one by one). */
async function insertInBatches<T>(insert: (docs: T[]) => Promise<unknown>, docs: T[]): Promise<void> {
  const batches: T[][] = [];
  for (let i = 0; i < docs.length; i += BATCH) batches.push(docs.slice(i, i + BATCH));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length) await insert(batches[next++]!);
  };
  await Promise.all([lane(), lane(), lane()]);
}

function nodeDoc(index: number, random: SeededRandom, at: string): NodeDoc {
  const store = index % 5 !== 0; // 1 in 5 a warehouse, the rest stores
  return {
    _id: nodeName(index),
    name: `${store ? 'Store' : 'Warehouse'} ${index}`,
    type: store ? 'store' : 'warehouse',
    location: {
      lat: 43 + random.next() * 7,
      lon: -1 + random.next() * 8,
      postalCode: String(random.int(10_000, 95_999)),
      country: 'FR',
    },
    capabilities: store ? ['ship', 'pickup', 'return'] : ['ship', 'return'],
    dailyOrderCapacity: store ? 200 : 5_000,
    priority: store ? 2 : 1,
    updatedAt: at,
  };
}

/**
 * Seeds `skus × nodes` stock records straight through the driver (bulk inserts, no ledger: a benchmark
 * fixture, not business movements), the SKU directory that makes availability reads `_id` lookups, the
 * network, the catalogue and a little inbound supply.
 */
export async function seedInventory(
  c: Collections,
  size: InventorySeedSize,
  random: SeededRandom,
): Promise<SeededInventory> {
  const at = new Date().toISOString();
  const nodes = Array.from({ length: size.nodes }, (_, i) => nodeDoc(i + 1, random, at));
  const nodeIds = nodes.map((node) => node._id);
  const skus = Array.from({ length: size.skus }, (_, i) => skuName(i + 1));
  const products: ProductDoc[] = skus.map((sku) => ({
    _id: sku,
    name: sku,
    priceMinor: random.int(1_000, 50_000),
    currency: 'EUR',
    weightGrams: random.int(100, 2_000),
    updatedAt: at,
  }));
  const inventory: InventoryDoc[] = [];
  for (const sku of skus) {
    for (const nodeId of nodeIds) {
      const onHand = random.chance(0.3) ? 0 : random.int(1, 40);
      const safetyStock = onHand > 5 ? 1 : 0;
      inventory.push({
        _id: inventoryId(sku, nodeId),
        sku,
        nodeId,
        onHand,
        reserved: 0,
        safetyStock,
        available: onHand - safetyStock,
        reservations: {},
        heldTotal: 0,
        updatedAt: at,
      });
    }
  }
  const inbound: InboundDoc[] = skus
    .filter((_, i) => i % 20 === 0)
    .map((sku, i) => ({
      _id: `IN-${i}`,
      sku,
      nodeId: random.pick(nodeIds),
      quantity: random.int(10, 100),
      expectedAt: new Date(Date.now() + random.int(1, 30) * 86_400_000).toISOString(),
      receivedQuantity: 0,
      status: 'expected' as const,
      receipts: [],
      appliedSeq: 0,
      source: 'bench',
      createdAt: at,
      updatedAt: at,
    }));
  // The directory lists each SKU's shipments, as createInbound does.
  const inboundIdsOf = new Map(inbound.map((doc) => [doc.sku, [doc._id]]));
  const seconds = {
    nodes: await timed(() => c.nodes.insertMany(nodes)),
    products: await timed(() =>
      insertInBatches((docs) => c.products.insertMany(docs, { ordered: false }), products),
    ),
    inventory: await timed(() =>
      insertInBatches((docs) => c.inventory.insertMany(docs, { ordered: false }), inventory),
    ),
    directory: await timed(() =>
      insertInBatches(
        (docs) => c.skuNodes.insertMany(docs, { ordered: false }),
        skus.map((sku) => ({ _id: sku, nodeIds, inboundIds: inboundIdsOf.get(sku) ?? [] })),
      ),
    ),
    inbound: await timed(() => c.inbound.insertMany(inbound)),
  };
  return { skus, nodeIds, records: inventory.length, seconds };
}
