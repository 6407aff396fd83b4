import { randomUUID } from 'node:crypto';
import type { Filter, UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import { inventoryId, type InventoryDoc, type PendingMovement } from '../db/documents';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import { ledgerEntry } from './ledger';
import { flushPending, pendingField } from './outbox';
import { assertCount, MAX_CAS_ATTEMPTS, toInventoryRecord, type InventoryRecord } from './stock-records';

/** A hold belongs to a sales channel or a customer segment: `channel:marketplace`, `segment:vip`. */
export const POOL_PATTERN = /^(channel|segment):[A-Za-z0-9_-]{1,64}$/;

/** Who is asking for stock: only holds of their own channel and segment are theirs to take. */
export interface PoolCaller {
  channel?: string;
  segment?: string;
}

/** Refuses a pool name that is not `channel:<id>` or `segment:<id>` (it becomes a field name). */
export function assertPool(pool: string): void {
  if (!POOL_PATTERN.test(pool)) {
    throw new ValidationError(`pool "${pool}" must be channel:<id> or segment:<id>`, [
      { path: 'pool', message: 'channel:<id> or segment:<id>' },
    ]);
  }
}

/** The holds a caller may take from, channel first, then segment. */
export function callerPools(caller: PoolCaller | undefined): string[] {
  const pools = [
    ...(caller?.channel ? [`channel:${caller.channel}`] : []),
    ...(caller?.segment ? [`segment:${caller.segment}`] : []),
  ];
  pools.forEach(assertPool);
  return pools;
}

export interface SetHoldInput {
  sku: string;
  nodeId: string;
  pool: string;
  /** Units to hold for the pool from now on (not counting what the pool already reserved). */
  quantity: number;
  source: string;
}
export interface ReleaseHoldInput {
  sku: string;
  nodeId: string;
  pool: string;
  source: string;
}

const holdField = (pool: string): string => `holds.${pool}`;

// One compare-and-set on the hold's current value; null when a racing writer changed it first.
async function casHold(
  c: Collections,
  doc: InventoryDoc,
  pool: string,
  filter: Record<string, unknown>,
  update: { $set?: Record<string, unknown>; $unset?: Record<string, ''> },
  heldDelta: number,
  source: string,
): Promise<InventoryDoc | null> {
  const current = doc.holds?.[pool];
  const movement = heldDelta >= 0 ? 'hold' : 'hold_release';
  const key = `${pool}:${randomUUID()}`;
  const pendingId = `${movement}:${key}`;
  const entry = ledgerEntry(
    movement,
    doc,
    key,
    { onHandDelta: 0, reservedDelta: 0, pools: { [pool]: heldDelta } },
    heldDelta >= 0 ? `hold for ${pool}` : `hold for ${pool} released`,
    source,
  );
  const pending: PendingMovement = { ledger: [entry] };
  const updated = await c.inventory.findOneAndUpdate(
    { _id: doc._id, [holdField(pool)]: current ?? { $exists: false }, ...filter } as Filter<InventoryDoc>,
    {
      ...update,
      $inc: { heldTotal: heldDelta, available: -heldDelta },
      $set: {
        ...update.$set,
        updatedAt: entry.at,
        ...(heldDelta !== 0 ? { [pendingField(pendingId)]: pending } : {}),
      },
    } as UpdateFilter<InventoryDoc>,
    { returnDocument: 'after' },
  );
  if (updated && heldDelta !== 0) await flushPending(c, doc._id, pendingId, pending);
  return updated;
}

async function readForHold(c: Collections, sku: string, nodeId: string): Promise<InventoryDoc> {
  const doc = await c.inventory.findOne({ _id: inventoryId(sku, nodeId) });
  if (!doc) throw new NotFoundError(`No stock record for ${sku} at ${nodeId}.`);
  return doc;
}

/** Sets how many units are held for a pool, taken from (or given back to) general availability atomically. */
export async function setHold(c: Collections, input: SetHoldInput): Promise<InventoryRecord> {
  assertPool(input.pool);
  assertCount('quantity', input.quantity);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const doc = await readForHold(c, input.sku, input.nodeId);
    const current = doc.holds?.[input.pool];
    const diff = input.quantity - (current ?? 0);
    if (diff === 0 && current !== undefined) return toInventoryRecord(doc);
    if (diff > 0 && doc.available < diff) {
      throw new ConflictError(
        `only ${Math.max(0, doc.available)} units of ${input.sku} at ${input.nodeId} are available to hold; ` +
          `${diff} more were asked for ${input.pool}`,
        'insufficient-stock',
      );
    }
    const updated = await casHold(
      c,
      doc,
      input.pool,
      diff > 0 ? { available: { $gte: diff } } : {},
      { $set: { [holdField(input.pool)]: input.quantity } },
      diff,
      input.source,
    );
    if (updated) return toInventoryRecord(updated);
  }
  throw new UnavailableError(`stock for ${input.sku} at ${input.nodeId} is changing too fast; retry`);
}

/** Ends a hold: its unreserved units go back to general availability; NotFoundError when there is none. */
export async function releaseHold(c: Collections, input: ReleaseHoldInput): Promise<InventoryRecord> {
  assertPool(input.pool);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const doc = await readForHold(c, input.sku, input.nodeId);
    const current = doc.holds?.[input.pool];
    if (current === undefined) {
      throw new NotFoundError(`No hold for ${input.pool} on ${input.sku} at ${input.nodeId}.`);
    }
    const updated = await casHold(
      c,
      doc,
      input.pool,
      {},
      { $unset: { [holdField(input.pool)]: '' } },
      -current,
      input.source,
    );
    if (updated) return toInventoryRecord(updated);
  }
  throw new UnavailableError(`stock for ${input.sku} at ${input.nodeId} is changing too fast; retry`);
}
