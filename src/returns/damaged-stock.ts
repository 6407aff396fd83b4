import type { Filter, UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import { inventoryId, type DamagedStockDoc } from '../db/documents';
import { isDuplicateKey } from '../inventory/ledger';

export interface DamagedUnitsInput {
  sku: string;
  nodeId: string;
  quantity: number;
  /** Deterministic key of this receipt line (`<rmaId>:<lineId>`): counted once. */
  key: string;
}

/**
 * Puts returned units found damaged in the node's non-sellable bucket, once per key: one conditional upsert
 * (the key absent); a retry finds the key and its insert attempt hits the `_id`, so nothing is counted twice.
 * These units never enter `inventory`, so they can never become available.
 */
export async function recordDamagedUnits(
  c: Collections,
  input: DamagedUnitsInput,
): Promise<'recorded' | 'duplicate'> {
  const _id = inventoryId(input.sku, input.nodeId);
  const field = `receipts.${input.key.replace(/\./g, '_')}`;
  try {
    const result = await c.damagedStock.updateOne(
      { _id, [field]: { $exists: false } } as Filter<DamagedStockDoc>,
      {
        $inc: { units: input.quantity },
        $set: { [field]: input.quantity, updatedAt: new Date().toISOString() },
        $setOnInsert: { sku: input.sku, nodeId: input.nodeId },
      } as UpdateFilter<DamagedStockDoc>,
      { upsert: true },
    );
    return result.modifiedCount + result.upsertedCount > 0 ? 'recorded' : 'duplicate';
  } catch (error) {
    if (isDuplicateKey(error)) return 'duplicate';
    throw error;
  }
}

/** Damaged units held at a node for a SKU (0 when none). */
export async function damagedUnits(c: Collections, sku: string, nodeId: string): Promise<number> {
  return (await c.damagedStock.findOne({ _id: inventoryId(sku, nodeId) }))?.units ?? 0;
}
