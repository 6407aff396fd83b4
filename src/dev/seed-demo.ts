import { loadConfig } from '../config';
import { getCollections, ensureIndexes, type Collections } from '../db/collections';
import { connectDatabase } from '../db/connect';
import { createStockRepository } from '../inventory/stock-repository';
import { DEMO_NODES, DEMO_PRODUCTS, DEMO_STOCK } from './demo-network';

export interface SeedReport {
  nodesAdded: number;
  productsAdded: number;
  stockRecordsAdded: number;
}

/**
 * Adds the demo network, catalogue and opening stock where they are missing. Existing documents are
 * left as they are, so a restart never overwrites what an admin changed or what orders consumed.
 */
export async function seedDemoNetwork(collections: Collections, now = new Date()): Promise<SeedReport> {
  const updatedAt = now.toISOString();
  let nodesAdded = 0;
  for (const node of DEMO_NODES) {
    const result = await collections.nodes.updateOne(
      { _id: node._id },
      { $setOnInsert: { ...node, updatedAt } },
      { upsert: true },
    );
    nodesAdded += result.upsertedCount;
  }
  let productsAdded = 0;
  for (const product of DEMO_PRODUCTS) {
    const result = await collections.products.updateOne(
      { _id: product._id },
      { $setOnInsert: { ...product, updatedAt } },
      { upsert: true },
    );
    productsAdded += result.upsertedCount;
  }
  const stock = createStockRepository(collections);
  let stockRecordsAdded = 0;
  for (const [sku, nodeId, onHand, safetyStock] of DEMO_STOCK) {
    if (await stock.getRecord(sku, nodeId)) continue;
    await stock.setCount({ sku, nodeId, onHand, safetyStock, source: 'demo-seed' });
    stockRecordsAdded += 1;
  }
  return { nodesAdded, productsAdded, stockRecordsAdded };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { client, db } = await connectDatabase(config.mongoUri);
  try {
    const collections = getCollections(db);
    await ensureIndexes(collections);
    const report = await seedDemoNetwork(collections);
    console.log(
      `demo data: ${report.nodesAdded} nodes, ${report.productsAdded} products, ${report.stockRecordsAdded} stock records added ` +
        `(${DEMO_NODES.length} nodes, ${DEMO_PRODUCTS.length} products in the demo set)`,
    );
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`Seeding the demo data failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
