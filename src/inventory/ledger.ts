import { MongoServerError } from 'mongodb';
import type { Collections } from '../db/collections';
import type { InventoryDoc, StockLedgerDoc, StockMovement } from '../db/documents';

/** Which stock record a movement touched. */
export type StockRef = Pick<InventoryDoc, '_id' | 'sku' | 'nodeId'>;

/** What a movement changed: on-hand, reserved, and each hold (by pool) it touched. */
export interface StockDeltas {
  onHandDelta: number;
  reservedDelta: number;
  pools?: Record<string, number>;
}

export const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === 11000;

/** Sum of a per-pool map (units held, or taken from holds). */
export const sumPools = (pools: Record<string, number> | undefined): number =>
  Object.values(pools ?? {}).reduce((sum, n) => sum + n, 0);

/** Builds a ledger line; `key` makes its `_id` deterministic, so writing it again changes nothing. */
export function ledgerEntry(
  movement: StockMovement,
  ref: StockRef,
  key: string,
  deltas: StockDeltas,
  reason: string,
  source: string,
  at = new Date().toISOString(),
): StockLedgerDoc {
  const pools = Object.fromEntries(Object.entries(deltas.pools ?? {}).filter(([, n]) => n !== 0));
  return {
    _id: `${movement}:${ref._id}:${key}`,
    sku: ref.sku,
    nodeId: ref.nodeId,
    movement,
    onHandDelta: deltas.onHandDelta,
    reservedDelta: deltas.reservedDelta,
    ...(Object.keys(pools).length > 0 ? { pools } : {}),
    reason,
    source,
    at,
  };
}

/** Appends a ledger line once: a retry (or a repair) that writes the same `_id` again is a no-op. */
export async function appendLedger(c: Collections, entry: StockLedgerDoc): Promise<void> {
  const { _id, ...rest } = entry;
  try {
    await c.stockLedger.updateOne({ _id }, { $setOnInsert: rest }, { upsert: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error; // a racing writer inserted it first
  }
}
