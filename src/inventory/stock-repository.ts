import { randomUUID } from 'node:crypto';
import { MongoServerError, type Filter, type UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import { inventoryId, type InventoryDoc, type StockLedgerDoc, type StockMovement } from '../db/documents';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../errors';

/** One SKU at one node as the API shows it. */
export interface InventoryRecord {
  sku: string;
  nodeId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  available: number;
}

export interface SetCountInput {
  sku: string;
  nodeId: string;
  onHand: number;
  safetyStock?: number;
  source: string;
}
export interface AdjustInput {
  sku: string;
  nodeId: string;
  delta: number;
  reason: string;
  source: string;
}
export interface ReserveInput {
  key: string;
  sku: string;
  nodeId: string;
  quantity: number;
  source: string;
}
export interface ReservationKeyInput {
  key: string;
  sku: string;
  nodeId: string;
  source: string;
}

export type ReserveOutcome = 'reserved' | 'already_reserved' | 'insufficient';
export type ReleaseOutcome = 'released' | 'not_reserved';
export type ConsumeOutcome = 'consumed' | 'not_reserved';

/** Stock per (sku, node): every change is a single-document atomic update, never read-then-write. */
export interface StockRepository {
  getRecord(sku: string, nodeId: string): Promise<InventoryRecord | null>;
  /** Absolute count; ConflictError when it would drop below what is reserved. */
  setCount(input: SetCountInput): Promise<InventoryRecord>;
  /** Relative change; ConflictError below reserved or zero, NotFoundError for a decrement of unknown stock. */
  adjust(input: AdjustInput): Promise<InventoryRecord>;
  reserve(input: ReserveInput): Promise<ReserveOutcome>;
  release(input: ReservationKeyInput): Promise<ReleaseOutcome>;
  /** The parcel left the building: on-hand and reserved both drop by the reserved quantity. */
  consume(input: ReservationKeyInput): Promise<ConsumeOutcome>;
  /** Network view per SKU (nodes holding a record), available clamped at 0. */
  availabilityFor(skus: string[]): Promise<Map<string, { nodeId: string; available: number }[]>>;
}

// A lost compare-and-set race is retried; this many losses in a row means something is wrong.
const MAX_CAS_ATTEMPTS = 100;

const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;

/** Maps a stored document to the API record. */
export const toInventoryRecord = (doc: InventoryDoc): InventoryRecord => ({
  sku: doc.sku,
  nodeId: doc.nodeId,
  onHand: doc.onHand,
  reserved: doc.reserved,
  safetyStock: doc.safetyStock,
  available: doc.available,
});

// Reservation keys become Mongo field names under `reservations.`: no dots, no leading `$`.
function assertReservationKey(key: string): void {
  if (!/^[A-Za-z0-9_:@-]{1,200}$/.test(key)) {
    throw new ValidationError(`reservation key "${key}" may only use letters, digits, "_", "-", ":" and "@"`);
  }
}

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError(`${name} must be a non-negative integer`, [
      { path: name, message: 'non-negative integer' },
    ]);
  }
}

/** Creates the stock repository over the inventory and stock-ledger collections. */
export function createStockRepository(c: Collections): StockRepository {
  const now = (): string => new Date().toISOString();

  async function appendLedger(entry: StockLedgerDoc): Promise<void> {
    const { _id, ...rest } = entry;
    try {
      await c.stockLedger.updateOne({ _id }, { $setOnInsert: rest }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // a racing retry wrote it first
    }
  }

  async function readDoc(sku: string, nodeId: string): Promise<InventoryDoc | null> {
    return c.inventory.findOne({ _id: inventoryId(sku, nodeId) });
  }

  // Creates a record; false when a racing writer created it first (the caller then retries as an update).
  async function insertDoc(
    sku: string,
    nodeId: string,
    onHand: number,
    safetyStock: number,
  ): Promise<boolean> {
    try {
      await c.inventory.insertOne({
        _id: inventoryId(sku, nodeId),
        sku,
        nodeId,
        onHand,
        reserved: 0,
        safetyStock,
        available: onHand - safetyStock,
        reservations: {},
        updatedAt: now(),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  // Compare-and-set on the values read: wins only if nobody changed on-hand or safety stock meanwhile.
  async function casOnHand(
    doc: InventoryDoc,
    newOnHand: number,
    newSafetyStock: number,
  ): Promise<InventoryDoc | null> {
    const onHandDelta = newOnHand - doc.onHand;
    const safetyDelta = newSafetyStock - doc.safetyStock;
    return c.inventory.findOneAndUpdate(
      { _id: doc._id, onHand: doc.onHand, safetyStock: doc.safetyStock, reserved: { $lte: newOnHand } },
      {
        $inc: { onHand: onHandDelta, available: onHandDelta - safetyDelta },
        $set: { safetyStock: newSafetyStock, updatedAt: now() },
      },
      { returnDocument: 'after' },
    );
  }

  function ledgerEntry(
    movement: StockMovement,
    doc: Pick<InventoryDoc, '_id' | 'sku' | 'nodeId'>,
    key: string,
    deltas: { onHandDelta: number; reservedDelta: number },
    reason: string,
    source: string,
  ): StockLedgerDoc {
    return {
      _id: `${movement}:${doc._id}:${key}`,
      sku: doc.sku,
      nodeId: doc.nodeId,
      movement,
      ...deltas,
      reason,
      source,
      at: now(),
    };
  }

  async function setCount(input: SetCountInput): Promise<InventoryRecord> {
    assertCount('onHand', input.onHand);
    if (input.safetyStock !== undefined) assertCount('safetyStock', input.safetyStock);
    const movementKey = randomUUID();
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const doc = await readDoc(input.sku, input.nodeId);
      if (!doc) {
        if (await insertDoc(input.sku, input.nodeId, input.onHand, input.safetyStock ?? 0)) {
          const created = { _id: inventoryId(input.sku, input.nodeId), sku: input.sku, nodeId: input.nodeId };
          await appendLedger(
            ledgerEntry(
              'cycle_count',
              created,
              movementKey,
              { onHandDelta: input.onHand, reservedDelta: 0 },
              'cycle count',
              input.source,
            ),
          );
          return (await getRecord(input.sku, input.nodeId)) as InventoryRecord;
        }
        continue;
      }
      if (input.onHand < doc.reserved) {
        throw new ConflictError(
          `onHand ${input.onHand} is below the ${doc.reserved} units reserved for ${input.sku} at ${input.nodeId}`,
          'stock-below-reserved',
        );
      }
      const updated = await casOnHand(doc, input.onHand, input.safetyStock ?? doc.safetyStock);
      if (updated) {
        await appendLedger(
          ledgerEntry(
            'cycle_count',
            doc,
            movementKey,
            { onHandDelta: input.onHand - doc.onHand, reservedDelta: 0 },
            'cycle count',
            input.source,
          ),
        );
        return toInventoryRecord(updated);
      }
    }
    throw new UnavailableError(
      `stock for ${input.sku} at ${input.nodeId} is changing too fast to count; retry`,
    );
  }

  async function adjust(input: AdjustInput): Promise<InventoryRecord> {
    if (!Number.isInteger(input.delta))
      throw new ValidationError('delta must be an integer', [{ path: 'delta', message: 'integer' }]);
    const movementKey = randomUUID();
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const doc = await readDoc(input.sku, input.nodeId);
      if (!doc) {
        if (input.delta < 0) throw new NotFoundError(`no stock record for ${input.sku} at ${input.nodeId}`);
        if (await insertDoc(input.sku, input.nodeId, input.delta, 0)) {
          const created = { _id: inventoryId(input.sku, input.nodeId), sku: input.sku, nodeId: input.nodeId };
          await appendLedger(
            ledgerEntry(
              'adjustment',
              created,
              movementKey,
              { onHandDelta: input.delta, reservedDelta: 0 },
              input.reason,
              input.source,
            ),
          );
          return (await getRecord(input.sku, input.nodeId)) as InventoryRecord;
        }
        continue;
      }
      const newOnHand = doc.onHand + input.delta;
      if (newOnHand < 0 || newOnHand < doc.reserved) {
        throw new ConflictError(
          `adjusting ${input.sku} at ${input.nodeId} by ${input.delta} would leave onHand ${newOnHand} below ${Math.max(0, doc.reserved)} (reserved)`,
          'stock-below-reserved',
        );
      }
      const updated = await casOnHand(doc, newOnHand, doc.safetyStock);
      if (updated) {
        await appendLedger(
          ledgerEntry(
            'adjustment',
            doc,
            movementKey,
            { onHandDelta: input.delta, reservedDelta: 0 },
            input.reason,
            input.source,
          ),
        );
        return toInventoryRecord(updated);
      }
    }
    throw new UnavailableError(
      `stock for ${input.sku} at ${input.nodeId} is changing too fast to adjust; retry`,
    );
  }

  async function getRecord(sku: string, nodeId: string): Promise<InventoryRecord | null> {
    const doc = await readDoc(sku, nodeId);
    return doc ? toInventoryRecord(doc) : null;
  }

  async function reserve(input: ReserveInput): Promise<ReserveOutcome> {
    assertReservationKey(input.key);
    if (!Number.isInteger(input.quantity) || input.quantity <= 0) {
      throw new ValidationError('quantity must be a positive integer', [
        { path: 'quantity', message: 'positive integer' },
      ]);
    }
    const _id = inventoryId(input.sku, input.nodeId);
    const field = `reservations.${input.key}`;
    // The whole reservation is this one conditional update: enough stock and not yet reserved under this key.
    const filter = {
      _id,
      available: { $gte: input.quantity },
      [field]: { $exists: false },
    } as Filter<InventoryDoc>;
    const update = {
      $inc: { available: -input.quantity, reserved: input.quantity },
      $set: { [field]: input.quantity, updatedAt: now() },
    } as UpdateFilter<InventoryDoc>;
    const result = await c.inventory.updateOne(filter, update);
    const entry = ledgerEntry(
      'reserve',
      { _id, sku: input.sku, nodeId: input.nodeId },
      input.key,
      { onHandDelta: 0, reservedDelta: input.quantity },
      `reserve ${input.key}`,
      input.source,
    );
    if (result.modifiedCount === 1) {
      await appendLedger(entry);
      return 'reserved';
    }
    const doc = await c.inventory.findOne({ _id });
    if (doc?.reservations?.[input.key] !== undefined) {
      await appendLedger(entry); // a retry after a crash between the update and the ledger write
      return 'already_reserved';
    }
    return 'insufficient';
  }

  // Removes a live reservation in one update conditional on its exact recorded quantity.
  async function settle(input: ReservationKeyInput, movement: 'release' | 'ship'): Promise<boolean> {
    assertReservationKey(input.key);
    const _id = inventoryId(input.sku, input.nodeId);
    const field = `reservations.${input.key}`;
    const doc = await c.inventory.findOne({ _id });
    const quantity = doc?.reservations?.[input.key];
    if (!doc || quantity === undefined) return false;
    const inc =
      movement === 'release'
        ? { available: quantity, reserved: -quantity }
        : { onHand: -quantity, reserved: -quantity };
    const result = await c.inventory.updateOne(
      { _id, [field]: quantity } as Filter<InventoryDoc>,
      { $inc: inc, $unset: { [field]: '' }, $set: { updatedAt: now() } } as UpdateFilter<InventoryDoc>,
    );
    if (result.modifiedCount !== 1) return false; // a racing call settled it first
    await appendLedger(
      ledgerEntry(
        movement,
        doc,
        input.key,
        { onHandDelta: movement === 'ship' ? -quantity : 0, reservedDelta: -quantity },
        `${movement} ${input.key}`,
        input.source,
      ),
    );
    return true;
  }

  async function availabilityFor(
    skus: string[],
  ): Promise<Map<string, { nodeId: string; available: number }[]>> {
    const result = new Map<string, { nodeId: string; available: number }[]>(skus.map((sku) => [sku, []]));
    if (skus.length === 0) return result;
    const docs = await c.inventory
      .find({ sku: { $in: skus } }, { projection: { sku: 1, nodeId: 1, available: 1 } })
      .toArray();
    for (const doc of docs) {
      result.get(doc.sku)?.push({ nodeId: doc.nodeId, available: Math.max(0, doc.available) });
    }
    for (const nodes of result.values()) nodes.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    return result;
  }

  return {
    getRecord,
    setCount,
    adjust,
    reserve,
    release: async (input) => ((await settle(input, 'release')) ? 'released' : 'not_reserved'),
    consume: async (input) => ((await settle(input, 'ship')) ? 'consumed' : 'not_reserved'),
    availabilityFor,
  };
}
