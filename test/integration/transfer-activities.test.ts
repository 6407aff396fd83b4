import { createTransferActivities } from '../../activities/transfer.activities';
import type { ActivityDeps } from '../../activities';
import { createStockRepository } from '../../src/inventory/stock-repository';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

// A transfer not collected at the pickup store, over a real database: its units join the store's stock
// through the ledger, once however often the activity is retried.
let db: InventoryDb;

beforeAll(async () => {
  db = await openInventoryDb('transfer_activities');
});
afterAll(() => db.close());

test('uncollected transferred units go on the pickup store shelf once, however often restocked', async () => {
  const stock = createStockRepository(db.collections);
  await stock.setCount({ sku: 'SCARF-1', nodeId: 'ST-MARSEILLE', onHand: 1, source: 'test' });
  const transfers = createTransferActivities({ collections: db.collections } as unknown as ActivityDeps);
  const input = {
    orderId: 'o1',
    fulfillmentId: 'o1-F1',
    nodeId: 'ST-MARSEILLE',
    lines: [
      { lineId: 'l1', sku: 'SCARF-1', quantity: 2 },
      { lineId: 'l2', sku: 'COAT-1', quantity: 1 },
    ],
  };
  await transfers.restockUncollectedTransfer(input);
  await transfers.restockUncollectedTransfer(input);

  expect(await stock.getRecord('SCARF-1', 'ST-MARSEILLE')).toMatchObject({ onHand: 3, available: 3 });
  expect(await stock.getRecord('COAT-1', 'ST-MARSEILLE')).toMatchObject({ onHand: 1, available: 1 });
  const ledger = await db.collections.stockLedger.find({ movement: 'return' }).toArray();
  expect(ledger.map((e) => [e.sku, e.nodeId, e.onHandDelta, e.reason]).sort()).toEqual([
    ['COAT-1', 'ST-MARSEILLE', 1, 'transfer o1-F1 not collected'],
    ['SCARF-1', 'ST-MARSEILLE', 2, 'transfer o1-F1 not collected'],
  ]);
});
