import { randomBytes } from 'node:crypto';
import type { Filter, UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import { inventoryId, type InventoryDoc, type PendingMovement, type ReservationEntry } from '../db/documents';
import { UnavailableError } from '../errors';
import { callerPools, type PoolCaller } from './holds';
import { ledgerEntry, sumPools, type StockRef } from './ledger';
import { flushPending, pendingField } from './outbox';
import { addPools, returnToHolds, takeFromHolds } from './pool-units';
import { normalizeEntry, reservationDoc } from './reservation-docs';
import {
  instanceFilter,
  instanceKey,
  reservationField,
  reserveLedgerEntry,
  settleReservation,
} from './reservations';
import { assertCount, assertFieldKey, MAX_CAS_ATTEMPTS } from './stock-records';

export interface AdjustReservationInput {
  key: string;
  sku: string;
  nodeId: string;
  /** The reservation's new total quantity (0 releases it). */
  quantity: number;
  source: string;
  /** Whose holds extra units may come from; the holds the reservation already took from when absent. */
  pool?: PoolCaller;
}
export type AdjustReservationOutcome = 'adjusted' | 'insufficient' | 'not_reserved';

// Pending id of the adjustment that created an instance: a retry that finds the instance finishes it.
const adjustPendingId = (key: string, entry: ReservationEntry): string => `adjust:${instanceKey(key, entry)}`;

// The new instance must sort after the old one (reservation documents keep the highest version).
const laterThan = (at: string): string => new Date(Math.max(Date.now(), Date.parse(at) + 1)).toISOString();

interface Change {
  filter: Record<string, unknown>;
  inc: Record<string, number>;
  /** Units taken from holds by the new instance. */
  pools: Record<string, number>;
  /** What the holds gained (positive) or lost (negative). */
  holdDeltas: Record<string, number>;
}

// Lowering gives back general units first, then held ones, last pool first (the reverse of taking them).
function lower(doc: Pick<InventoryDoc, 'holds'>, entry: ReservationEntry, by: number): Change {
  const general = entry.quantity - sumPools(entry.pools);
  let remaining = by - Math.min(by, general);
  const given: Record<string, number> = {};
  for (const [pool, units] of Object.entries(entry.pools ?? {}).reverse()) {
    const n = Math.min(remaining, units);
    if (n > 0) given[pool] = n;
    remaining -= n;
  }
  const back = returnToHolds(doc.holds, given);
  return {
    filter: back.conditions,
    inc: { ...back.inc, reserved: -by, available: by - sumPools(given) + back.toGeneral },
    pools: addPools(entry.pools, given, -1),
    holdDeltas: back.backToHolds,
  };
}

// Raising takes the extra units like a reserve: the caller's holds first, then general availability.
function raise(
  doc: Pick<InventoryDoc, 'holds' | 'available'>,
  entry: ReservationEntry,
  by: number,
  pools: string[],
): Change | null {
  const take = takeFromHolds(doc.holds, pools, by);
  const general = by - sumPools(take);
  if (general > 0 && doc.available < general) return null;
  const filter: Record<string, unknown> = general > 0 ? { available: { $gte: general } } : {};
  const inc: Record<string, number> = { reserved: by, available: -general };
  for (const [pool, units] of Object.entries(take)) {
    filter[`holds.${pool}`] = { $gte: units };
    inc[`holds.${pool}`] = -units;
  }
  if (sumPools(take) > 0) inc.heldTotal = -sumPools(take);
  return { filter, inc, pools: addPools(entry.pools, take), holdDeltas: addPools({}, take, -1) };
}

/**
 * The ledger of an adjustment: the old instance is released and the new one reserved (each instance stays
 * immutable, so everything derived from an embedded entry stays true); the pair nets to the delta.
 */
function adjustmentLedger(
  ref: StockRef,
  key: string,
  old: ReservationEntry,
  next: ReservationEntry,
  holdDeltas: Record<string, number>,
  source: string,
): PendingMovement['ledger'] {
  const reason = `adjust ${key}: ${old.quantity} -> ${next.quantity}`;
  // The holds' change, seen from the two instances: the new one takes `next.pools`.
  const releasedPools = addPools(holdDeltas, next.pools ?? {});
  return [
    reserveLedgerEntry(ref, key, old, source), // again: if a crash lost it, the ledger still balances
    ledgerEntry(
      'release',
      ref,
      instanceKey(key, old),
      { onHandDelta: 0, reservedDelta: -old.quantity, pools: releasedPools },
      reason,
      source,
      next.at,
    ),
    { ...reserveLedgerEntry(ref, key, next, source), reason },
  ];
}

/**
 * Changes a live reservation's quantity in one update conditional on its instance (nonce) and, when
 * raising, on the extra units being there (the same pool rules as a reserve). The reservation becomes a new
 * instance (new nonce); its ledger lines and document travel in the outbox. Asking again for the quantity
 * it already has answers `adjusted` and changes nothing (a retry).
 */
export async function adjustReservation(
  c: Collections,
  input: AdjustReservationInput,
): Promise<AdjustReservationOutcome> {
  assertFieldKey('key', input.key);
  assertCount('quantity', input.quantity);
  if (input.quantity === 0) {
    await settleReservation(c, input, 'release');
    return 'adjusted'; // nothing is reserved under the key any more, as asked
  }
  const ref = { _id: inventoryId(input.sku, input.nodeId), sku: input.sku, nodeId: input.nodeId };
  const field = reservationField(input.key);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const doc = await c.inventory.findOne(
      { _id: ref._id },
      { projection: { available: 1, holds: 1, pending: 1, [field]: 1 } },
    );
    const entry = normalizeEntry(doc?.reservations?.[input.key]);
    if (!doc || !entry) return 'not_reserved';
    if (entry.quantity === input.quantity) {
      const pendingId = adjustPendingId(input.key, entry);
      const pending = doc.pending?.[pendingId];
      if (pending) await flushPending(c, ref._id, pendingId, pending); // a crash left it there
      return 'adjusted';
    }
    const by = input.quantity - entry.quantity;
    const pools = input.pool ? callerPools(input.pool) : Object.keys(entry.pools ?? {});
    const change = by < 0 ? lower(doc, entry, -by) : raise(doc, entry, by, pools);
    if (!change) return 'insufficient';
    const next: ReservationEntry = {
      quantity: input.quantity,
      nonce: randomBytes(6).toString('hex'),
      ...(Object.keys(change.pools).length > 0 ? { pools: change.pools } : {}),
      at: laterThan(entry.at),
    };
    const pendingId = adjustPendingId(input.key, next);
    const pending: PendingMovement = {
      ledger: adjustmentLedger(ref, input.key, entry, next, change.holdDeltas, input.source),
      reservation: reservationDoc(ref, input.key, next, 'active', input.source, next.at),
    };
    const result = await c.inventory.updateOne(
      { _id: ref._id, ...instanceFilter(input.key, entry), ...change.filter } as Filter<InventoryDoc>,
      {
        $inc: change.inc,
        $set: { [field]: next, updatedAt: next.at, [pendingField(pendingId)]: pending },
      } as UpdateFilter<InventoryDoc>,
    );
    if (result.modifiedCount === 1) {
      await flushPending(c, ref._id, pendingId, pending);
      return 'adjusted';
    }
  }
  throw new UnavailableError(`stock for ${input.sku} at ${input.nodeId} is changing too fast; retry`);
}
