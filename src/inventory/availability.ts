import type { Collections } from '../db/collections';
import { inventoryId, type InventoryDoc } from '../db/documents';
import { callerPools, type PoolCaller } from './holds';
import { isDuplicateKey } from './ledger';

/** Who asks, and optionally which nodes to look at (the rest are skipped). */
export interface AvailabilityOptions extends PoolCaller {
  nodeIds?: readonly string[];
}

/** What may be sold at one node. */
export interface NodeAvailability {
  nodeId: string;
  available: number;
}

type AvailabilityDoc = Pick<InventoryDoc, 'sku' | 'nodeId' | 'available' | 'holds'>;
const PROJECTION = { sku: 1, nodeId: 1, available: 1, holds: 1 } as const;

/**
 * Finds the stock records of the SKUs with `_id` lookups only: the SKU directory names their nodes.
 * A SKU without a directory entry (records written before the directory) is found once by a scan, and
 * the directory is filled in so the next read is a lookup again.
 */
async function readStockDocs(
  c: Collections,
  skus: string[],
  nodeIds: readonly string[] | undefined,
): Promise<AvailabilityDoc[]> {
  const wanted = nodeIds ? new Set(nodeIds) : undefined;
  const directory = await c.skuNodes.find({ _id: { $in: skus } }, { projection: { nodeIds: 1 } }).toArray();
  const ids = directory.flatMap((entry) =>
    (entry.nodeIds ?? [])
      .filter((nodeId) => !wanted || wanted.has(nodeId))
      .map((nodeId) => inventoryId(entry._id, nodeId)),
  );
  const docs: AvailabilityDoc[] =
    ids.length > 0 ? await c.inventory.find({ _id: { $in: ids } }, { projection: PROJECTION }).toArray() : [];
  const listed = new Set(directory.map((entry) => entry._id));
  const unlisted = skus.filter((sku) => !listed.has(sku));
  if (unlisted.length > 0) {
    const found = await c.inventory.find({ sku: { $in: unlisted } }, { projection: PROJECTION }).toArray();
    for (const sku of unlisted) {
      const nodes = found.filter((doc) => doc.sku === sku).map((doc) => doc.nodeId);
      try {
        await c.skuNodes.updateOne(
          { _id: sku },
          { $addToSet: { nodeIds: { $each: nodes } } },
          { upsert: true },
        );
      } catch (error) {
        if (!isDuplicateKey(error)) throw error; // a racing writer created the entry: it is there either way
      }
    }
    docs.push(...found.filter((doc) => !wanted || wanted.has(doc.nodeId)));
  }
  return docs;
}

/**
 * Network view per SKU (nodes holding a record, by nodeId): general availability clamped at 0, plus what
 * is held for the caller's own channel and segment. Holds of other pools are never visible.
 */
export async function availabilityFor(
  c: Collections,
  skus: string[],
  options: AvailabilityOptions = {},
): Promise<Map<string, NodeAvailability[]>> {
  const result = new Map<string, NodeAvailability[]>(skus.map((sku) => [sku, []]));
  if (skus.length === 0) return result;
  const pools = callerPools(options);
  for (const doc of await readStockDocs(c, skus, options.nodeIds)) {
    const held = pools.reduce((sum, pool) => sum + Math.max(0, doc.holds?.[pool] ?? 0), 0);
    result.get(doc.sku)?.push({ nodeId: doc.nodeId, available: Math.max(0, doc.available) + held });
  }
  for (const nodes of result.values()) nodes.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  return result;
}
