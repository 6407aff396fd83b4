import type { UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import type { SkuNodesDoc } from '../db/documents';
import { isDuplicateKey } from './ledger';

/**
 * The SKU directory (`sku_nodes`, `_id` = the SKU) lists, per SKU, the ids of what hot reads need: the nodes
 * holding a stock record, the inbound shipments, the waiting orders. Reads are then `_id` lookups (the dev
 * server uses no other index). An id is listed before its document is written and unlisted after it is
 * deleted, so a listing may name a document that is not there (readers skip it) but never misses one.
 */
export type DirectoryList = 'nodeIds' | 'inboundIds' | 'waiterIds';

/** Lists `id` under the SKU (idempotent). */
export async function addToSkuDirectory(
  c: Collections,
  sku: string,
  list: DirectoryList,
  id: string,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await c.skuNodes.updateOne({ _id: sku }, { $addToSet: { [list]: id } } as UpdateFilter<SkuNodesDoc>, {
        upsert: true,
      });
      return;
    } catch (error) {
      if (!isDuplicateKey(error) || attempt > 2) throw error; // two first upserts raced: the next one updates
    }
  }
}

/** Unlists `id` (idempotent). */
export async function removeFromSkuDirectory(
  c: Collections,
  sku: string,
  list: DirectoryList,
  id: string,
): Promise<void> {
  await c.skuNodes.updateOne({ _id: sku }, { $pull: { [list]: id } } as UpdateFilter<SkuNodesDoc>);
}

/** The ids one list names for each SKU (an `_id` lookup); SKUs without an entry answer none. */
export async function readSkuDirectory(
  c: Collections,
  skus: readonly string[],
  list: DirectoryList,
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(skus.map((sku) => [sku, []]));
  if (skus.length === 0) return result;
  const entries = await c.skuNodes.find({ _id: { $in: [...skus] } }, { projection: { [list]: 1 } }).toArray();
  for (const entry of entries) result.set(entry._id, entry[list] ?? []);
  return result;
}
