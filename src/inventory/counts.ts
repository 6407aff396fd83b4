import { randomUUID } from 'node:crypto';
import type { Filter, UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import { inventoryId, type InventoryDoc } from '../db/documents';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import { ledgerEntry } from './ledger';
import { flushPending, pendingField } from './outbox';
import {
  assertCount,
  assertFieldKey,
  insertStockRecord,
  MAX_CAS_ATTEMPTS,
  readStockDoc,
  toInventoryRecord,
  type InventoryRecord,
} from './stock-records';

export interface SetCountInput {
  sku: string;
  nodeId: string;
  onHand: number;
  safetyStock?: number;
  source: string;
  /** Deterministic id of this count (e.g. from an Idempotency-Key): a retry of it is applied once. */
  movementKey?: string;
}
export interface AdjustInput {
  sku: string;
  nodeId: string;
  delta: number;
  reason: string;
  source: string;
  /** Deterministic id of this adjustment (e.g. from an Idempotency-Key): a retry of it is applied once. */
  movementKey?: string;
}

type OnHandMovement = 'cycle_count' | 'adjustment' | 'return';

interface OnHandChange {
  movement: OnHandMovement;
  sku: string;
  nodeId: string;
  reason: string;
  source: string;
  movementKey?: string;
  /** The new on-hand and safety stock given the current document; null when there is no record. */
  target(doc: InventoryDoc | null): { onHand: number; safetyStock: number };
  /** What to do without a record: create it, or refuse. */
  whenMissing(): 'create' | 'not_found';
}

/** Answers the record when this keyed movement was already applied (its ledger line or outbox entry exists). */
async function alreadyApplied(
  c: Collections,
  change: OnHandChange,
  pendingId: string,
): Promise<InventoryRecord | null> {
  if (!change.movementKey) return null;
  const _id = inventoryId(change.sku, change.nodeId);
  const doc = await c.inventory.findOne({ _id });
  const pending = doc?.pending?.[pendingId];
  if (doc && pending) {
    await flushPending(c, _id, pendingId, pending); // a crash left it in the outbox
    return toInventoryRecord(doc);
  }
  const written = await c.stockLedger.findOne(
    { _id: `${change.movement}:${_id}:${change.movementKey}` },
    { projection: { _id: 1 } },
  );
  return written && doc ? toInventoryRecord(doc) : null;
}

/**
 * Moves on-hand (and safety stock) by compare-and-set on the values read: the update wins only if nobody
 * changed them meanwhile, and only if on-hand stays at or above what is reserved plus what is held
 * (expressed on `available`, since safety stock is pinned: available >= -(safetyStock + delta)).
 */
async function changeOnHand(c: Collections, change: OnHandChange): Promise<InventoryRecord> {
  const movementKey = change.movementKey ?? randomUUID();
  assertFieldKey('movementKey', movementKey);
  const pendingId = `${change.movement}:${movementKey}`;
  const replay = await alreadyApplied(c, change, pendingId);
  if (replay) return replay;
  const _id = inventoryId(change.sku, change.nodeId);
  const ref = { _id, sku: change.sku, nodeId: change.nodeId };
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const doc = await readStockDoc(c, change.sku, change.nodeId);
    if (!doc && change.whenMissing() === 'not_found') {
      throw new NotFoundError(`no stock record for ${change.sku} at ${change.nodeId}`);
    }
    const { onHand, safetyStock } = change.target(doc);
    const onHandDelta = onHand - (doc?.onHand ?? 0);
    const entry = ledgerEntry(
      change.movement,
      ref,
      movementKey,
      { onHandDelta, reservedDelta: 0 },
      change.reason,
      change.source,
    );
    if (!doc) {
      const pending = { id: pendingId, movement: { ledger: [entry] } };
      if (
        await insertStockRecord(c, { sku: change.sku, nodeId: change.nodeId, onHand, safetyStock, pending })
      ) {
        await flushPending(c, _id, pendingId, pending.movement);
        return toInventoryRecord((await readStockDoc(c, change.sku, change.nodeId)) as InventoryDoc);
      }
      continue;
    }
    const committed = doc.reserved + (doc.heldTotal ?? 0);
    if (onHand < committed) {
      throw new ConflictError(
        `on-hand ${onHand} for ${change.sku} at ${change.nodeId} would be below the ${doc.reserved} units ` +
          `reserved and ${doc.heldTotal ?? 0} held; release holds or reservations first`,
        'stock-below-reserved',
      );
    }
    const updated = await c.inventory.findOneAndUpdate(
      {
        _id,
        onHand: doc.onHand,
        safetyStock: doc.safetyStock,
        reserved: { $lte: onHand },
        available: { $gte: -(doc.safetyStock + onHandDelta) },
        [pendingField(pendingId)]: { $exists: false },
      } as Filter<InventoryDoc>,
      {
        $inc: { onHand: onHandDelta, available: onHandDelta - (safetyStock - doc.safetyStock) },
        $set: {
          safetyStock,
          updatedAt: entry.at,
          [pendingField(pendingId)]: { ledger: [entry] },
        },
      } as UpdateFilter<InventoryDoc>,
      { returnDocument: 'after' },
    );
    if (updated) {
      await flushPending(c, _id, pendingId, { ledger: [entry] });
      return toInventoryRecord(updated);
    }
  }
  throw new UnavailableError(`stock for ${change.sku} at ${change.nodeId} is changing too fast; retry`);
}

/** Absolute count (cycle count); ConflictError when it would drop below what is reserved and held. */
export function setCount(c: Collections, input: SetCountInput): Promise<InventoryRecord> {
  assertCount('onHand', input.onHand);
  if (input.safetyStock !== undefined) assertCount('safetyStock', input.safetyStock);
  return changeOnHand(c, {
    movement: 'cycle_count',
    ...input,
    reason: 'cycle count',
    target: (doc) => ({ onHand: input.onHand, safetyStock: input.safetyStock ?? doc?.safetyStock ?? 0 }),
    whenMissing: () => 'create',
  });
}

/** Relative change; ConflictError below reserved + held or zero, NotFoundError for a decrement of unknown stock. */
export function adjust(c: Collections, input: AdjustInput): Promise<InventoryRecord> {
  if (!Number.isInteger(input.delta))
    throw new ValidationError('delta must be an integer', [{ path: 'delta', message: 'integer' }]);
  return changeOnHand(c, {
    movement: 'adjustment',
    ...input,
    target: (doc) => {
      const onHand = (doc?.onHand ?? 0) + input.delta;
      if (onHand < 0) {
        throw new ConflictError(
          `adjusting ${input.sku} at ${input.nodeId} by ${input.delta} would leave on-hand ${onHand} below 0`,
          'stock-below-reserved',
        );
      }
      return { onHand, safetyStock: doc?.safetyStock ?? 0 };
    },
    whenMissing: () => (input.delta < 0 ? 'not_found' : 'create'),
  });
}

export interface ReturnToStockInput {
  sku: string;
  nodeId: string;
  quantity: number;
  reason: string;
  source: string;
  /** Deterministic id of this receipt (e.g. `<rmaId>:<lineId>`): a retry of it is applied once. */
  movementKey: string;
}

/** Returned units back on the shelf: on-hand rises (ledger movement `return`), once per movement key. */
export function returnToStock(c: Collections, input: ReturnToStockInput): Promise<InventoryRecord> {
  if (!Number.isInteger(input.quantity) || input.quantity < 1)
    throw new ValidationError('quantity must be a positive integer', [
      { path: 'quantity', message: 'positive' },
    ]);
  return changeOnHand(c, {
    movement: 'return',
    ...input,
    target: (doc) => ({ onHand: (doc?.onHand ?? 0) + input.quantity, safetyStock: doc?.safetyStock ?? 0 }),
    whenMissing: () => 'create',
  });
}

export interface ReturnLinesToStockInput {
  nodeId: string;
  lines: readonly { lineId: string; sku: string; quantity: number }[];
  reason: string;
  source: string;
  /** The movement key of one line, so a retry of the whole batch applies each line once. */
  movementKeyOf: (lineId: string) => string;
}

/** Several lines of units back on one node's shelf (returns, uncollected transfers), each once. */
export async function returnLinesToStock(c: Collections, input: ReturnLinesToStockInput): Promise<void> {
  const { nodeId, reason, source, movementKeyOf } = input;
  for (const { lineId, sku, quantity } of input.lines) {
    await returnToStock(c, { sku, nodeId, quantity, reason, source, movementKey: movementKeyOf(lineId) });
  }
}
