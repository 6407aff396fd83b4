import type { Collections } from '../db/collections';
import { inventoryId, type InventoryDoc, type PendingMovement } from '../db/documents';
import { ValidationError } from '../errors';
import { isDuplicateKey, sumPools } from './ledger';
import { addToSkuDirectory } from './sku-directory';

// A lost compare-and-set race is retried; this many losses in a row means something is wrong.
export const MAX_CAS_ATTEMPTS = 100;

/** What a pool caller may take from one hold at a node. */
export interface HoldView {
  pool: string;
  /** Units held for this pool and not yet reserved. */
  quantity: number;
  /** What this pool may sell here: its hold plus general availability. */
  available: number;
}

/** One SKU at one node as the API shows it; `held`/`holds` appear only when something is held. */
export interface InventoryRecord {
  sku: string;
  nodeId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  available: number;
  held?: number;
  holds?: HoldView[];
}

/** Maps a stored document to the API record. */
export const toInventoryRecord = (doc: InventoryDoc): InventoryRecord => {
  const record: InventoryRecord = {
    sku: doc.sku,
    nodeId: doc.nodeId,
    onHand: doc.onHand,
    reserved: doc.reserved,
    safetyStock: doc.safetyStock,
    available: doc.available,
  };
  const holds = Object.entries(doc.holds ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (holds.length === 0) return record;
  return {
    ...record,
    held: doc.heldTotal ?? sumPools(doc.holds),
    holds: holds.map(([pool, quantity]) => ({
      pool,
      quantity,
      available: quantity + Math.max(0, doc.available),
    })),
  };
};

/** Reservation keys and movement keys become Mongo field names: no dots, no leading `$`. */
export function assertFieldKey(name: string, key: string): void {
  if (!/^[A-Za-z0-9_:@-]{1,200}$/.test(key)) {
    throw new ValidationError(`${name} "${key}" may only use letters, digits, "_", "-", ":" and "@"`, [
      { path: name, message: 'letters, digits, "_", "-", ":" and "@"' },
    ]);
  }
}

export function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError(`${name} must be a non-negative integer`, [
      { path: name, message: 'non-negative integer' },
    ]);
  }
}

export function assertPositive(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ValidationError(`${name} must be a positive integer`, [
      { path: name, message: 'positive integer' },
    ]);
  }
}

export const readStockDoc = (c: Collections, sku: string, nodeId: string): Promise<InventoryDoc | null> =>
  c.inventory.findOne({ _id: inventoryId(sku, nodeId) });

export interface NewStockRecord {
  sku: string;
  nodeId: string;
  onHand: number;
  safetyStock: number;
  /** The movement that creates it, kept in the outbox of the new document. */
  pending?: { id: string; movement: PendingMovement };
}

/** Creates a record; false when a racing writer created it first (the caller then retries as an update). */
export async function insertStockRecord(c: Collections, record: NewStockRecord): Promise<boolean> {
  // Listed first, so availability never misses the record.
  await addToSkuDirectory(c, record.sku, 'nodeIds', record.nodeId);
  try {
    await c.inventory.insertOne({
      _id: inventoryId(record.sku, record.nodeId),
      sku: record.sku,
      nodeId: record.nodeId,
      onHand: record.onHand,
      reserved: 0,
      safetyStock: record.safetyStock,
      available: record.onHand - record.safetyStock,
      reservations: {},
      heldTotal: 0,
      ...(record.pending ? { pending: { [record.pending.id]: record.pending.movement } } : {}),
      updatedAt: new Date().toISOString(),
    });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
