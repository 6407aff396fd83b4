import { randomBytes } from 'node:crypto';
import type { Filter, UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import {
  inventoryId,
  type InventoryDoc,
  type PendingMovement,
  type ReservationEntry,
  type StockLedgerDoc,
} from '../db/documents';
import { UnavailableError } from '../errors';
import { callerPools, type PoolCaller } from './holds';
import { appendLedger, ledgerEntry, sumPools, type StockRef } from './ledger';
import { flushPending, pendingField } from './outbox';
import { returnToHolds, takeFromHolds } from './pool-units';
import { normalizeEntry, reservationDoc, writeReservationDoc } from './reservation-docs';
import { assertFieldKey, assertPositive, MAX_CAS_ATTEMPTS } from './stock-records';

export interface ReserveInput {
  key: string;
  sku: string;
  nodeId: string;
  quantity: number;
  source: string;
  /** The caller's channel and segment: units held for them are taken first, then general availability. */
  pool?: PoolCaller;
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

/** The field of a live reservation in its inventory document. */
export const reservationField = (key: string): string => `reservations.${key}`;
/** Ledger ids of a reservation instance; entries from before nonces keep their old ids. */
export const instanceKey = (key: string, entry: ReservationEntry): string =>
  entry.nonce ? `${key}:${entry.nonce}` : key;
/** The filter part matching this very reservation instance (its nonce; a bare-number entry by its value). */
export const instanceFilter = (key: string, entry: ReservationEntry): Record<string, unknown> =>
  entry.nonce
    ? { [`${reservationField(key)}.nonce`]: entry.nonce }
    : { [reservationField(key)]: entry.quantity };

/** The ledger line of a reservation, derived from its embedded entry alone (so it can be rewritten). */
export function reserveLedgerEntry(
  ref: StockRef,
  key: string,
  entry: ReservationEntry,
  source: string,
): StockLedgerDoc {
  const pools = Object.fromEntries(Object.entries(entry.pools ?? {}).map(([pool, n]) => [pool, -n]));
  return ledgerEntry(
    'reserve',
    ref,
    instanceKey(key, entry),
    { onHandDelta: 0, reservedDelta: entry.quantity, pools },
    `reserve ${key}`,
    source,
    entry.at,
  );
}

/**
 * A reservation's follow-ups: its ledger line and its reservation document. The embedded entry is the
 * durable record of them, so a crash before they land is repaired by a retry of the same reserve (which
 * answers already_reserved and writes them again) or by reconciliation.
 */
export async function writeReserveFollowUps(
  c: Collections,
  ref: StockRef,
  key: string,
  entry: ReservationEntry,
  source: string,
): Promise<void> {
  await appendLedger(c, reserveLedgerEntry(ref, key, entry, source));
  await writeReservationDoc(c, reservationDoc(ref, key, entry, 'active', source, entry.at));
}

// An existing reservation under this key (repairing its follow-ups), or null.
async function existingReservation(c: Collections, ref: StockRef, input: ReserveInput): Promise<boolean> {
  const doc = await c.inventory.findOne(
    { _id: ref._id },
    { projection: { [reservationField(input.key)]: 1 } },
  );
  const entry = normalizeEntry(doc?.reservations?.[input.key]);
  if (!entry) return false;
  await writeReserveFollowUps(c, ref, input.key, entry, input.source);
  return true;
}

/**
 * Reserves `quantity` under a deterministic key in one atomic conditional update. Without a pool it is
 * the original single update (enough `available`, key not yet present). With a pool, the split between
 * the caller's holds and general availability is read first and then applied in one update conditional
 * on each part still being there; a lost race re-reads and tries again.
 */
export async function reserve(c: Collections, input: ReserveInput): Promise<ReserveOutcome> {
  assertFieldKey('key', input.key);
  assertPositive('quantity', input.quantity);
  const pools = callerPools(input.pool);
  const ref = { _id: inventoryId(input.sku, input.nodeId), sku: input.sku, nodeId: input.nodeId };
  const field = reservationField(input.key);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    let take: Record<string, number> = {};
    if (pools.length > 0) {
      const doc = await c.inventory.findOne(
        { _id: ref._id },
        { projection: { available: 1, holds: 1, [field]: 1 } },
      );
      if (!doc) return 'insufficient';
      if (doc.reservations?.[input.key] !== undefined) {
        return (await existingReservation(c, ref, input)) ? 'already_reserved' : 'insufficient';
      }
      take = takeFromHolds(doc.holds, pools, input.quantity);
      const general = input.quantity - sumPools(take);
      if (general > 0 && doc.available < general) return 'insufficient';
    }
    const general = input.quantity - sumPools(take);
    const entry: ReservationEntry = {
      quantity: input.quantity,
      nonce: randomBytes(6).toString('hex'),
      ...(Object.keys(take).length > 0 ? { pools: take } : {}),
      at: new Date().toISOString(),
    };
    const filter: Record<string, unknown> = { _id: ref._id, [field]: { $exists: false } };
    const inc: Record<string, number> = { reserved: input.quantity, available: -general };
    if (general > 0) filter.available = { $gte: general };
    for (const [pool, units] of Object.entries(take)) {
      filter[`holds.${pool}`] = { $gte: units };
      inc[`holds.${pool}`] = -units;
    }
    if (Object.keys(take).length > 0) inc.heldTotal = -sumPools(take);
    const result = await c.inventory.updateOne(
      filter as Filter<InventoryDoc>,
      { $inc: inc, $set: { [field]: entry, updatedAt: entry.at } } as UpdateFilter<InventoryDoc>,
    );
    if (result.modifiedCount === 1) {
      await writeReserveFollowUps(c, ref, input.key, entry, input.source);
      return 'reserved';
    }
    if (await existingReservation(c, ref, input)) return 'already_reserved';
    if (pools.length === 0) return 'insufficient';
  }
  throw new UnavailableError(`stock for ${input.sku} at ${input.nodeId} is changing too fast; retry`);
}

/**
 * Removes a live reservation in one update conditional on its instance (nonce). A release gives units
 * taken from a hold back to that hold when it still exists, else to general availability; a ship takes
 * them out of on-hand. The ledger lines and the reservation document travel in the outbox.
 */
export async function settleReservation(
  c: Collections,
  input: ReservationKeyInput,
  movement: 'release' | 'ship',
): Promise<boolean> {
  assertFieldKey('key', input.key);
  const ref = { _id: inventoryId(input.sku, input.nodeId), sku: input.sku, nodeId: input.nodeId };
  const field = reservationField(input.key);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const doc = await c.inventory.findOne({ _id: ref._id }, { projection: { holds: 1, [field]: 1 } });
    const entry = normalizeEntry(doc?.reservations?.[input.key]);
    if (!doc || !entry) return false;
    const quantity = entry.quantity;
    const filter: Record<string, unknown> = { _id: ref._id, ...instanceFilter(input.key, entry) };
    const inc: Record<string, number> =
      movement === 'ship' ? { onHand: -quantity, reserved: -quantity } : { reserved: -quantity };
    let backToHolds: Record<string, number> = {};
    if (movement === 'release') {
      const back = returnToHolds(doc.holds, entry.pools);
      Object.assign(filter, back.conditions);
      Object.assign(inc, back.inc);
      backToHolds = back.backToHolds;
      inc.available = quantity - sumPools(entry.pools) + back.toGeneral;
    }
    const at = new Date().toISOString();
    const settled = ledgerEntry(
      movement,
      ref,
      instanceKey(input.key, entry),
      {
        onHandDelta: movement === 'ship' ? -quantity : 0,
        reservedDelta: -quantity,
        pools: backToHolds,
      },
      `${movement} ${input.key}`,
      input.source,
      at,
    );
    const pending: PendingMovement = {
      // The reservation's own line again: if a crash lost it, the ledger still balances.
      ledger: [reserveLedgerEntry(ref, input.key, entry, input.source), settled],
      reservation: reservationDoc(
        ref,
        input.key,
        entry,
        movement === 'ship' ? 'consumed' : 'released',
        input.source,
        at,
      ),
    };
    const pendingId = `${movement}:${instanceKey(input.key, entry)}`;
    const result = await c.inventory.updateOne(
      filter as Filter<InventoryDoc>,
      {
        $inc: inc,
        $unset: { [field]: '' },
        $set: { updatedAt: at, [pendingField(pendingId)]: pending },
      } as UpdateFilter<InventoryDoc>,
    );
    if (result.modifiedCount === 1) {
      await flushPending(c, ref._id, pendingId, pending);
      return true;
    }
  }
  throw new UnavailableError(`stock for ${input.sku} at ${input.nodeId} is changing too fast; retry`);
}
