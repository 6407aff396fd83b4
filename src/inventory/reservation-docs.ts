import type { Collections } from '../db/collections';
import {
  reservationDocId,
  type ReservationDoc,
  type ReservationEntry,
  type ReservationState,
} from '../db/documents';
import { isDuplicateKey, type StockRef } from './ledger';

/** A live embedded entry as one shape; a bare number is a reservation written before entries had pools. */
export function normalizeEntry(entry: number | ReservationEntry | undefined): ReservationEntry | undefined {
  if (entry === undefined) return undefined;
  if (typeof entry === 'number') return { quantity: entry, nonce: '', at: new Date(0).toISOString() };
  return entry;
}

/** The version of a state: later reservations of a key are higher, and settled is above active. */
export const reservationVersion = (entry: ReservationEntry, state: ReservationState): number =>
  Date.parse(entry.at) * 2 + (state === 'active' ? 0 : 1);

/** The reservation document that records an embedded entry in a given state. */
export function reservationDoc(
  ref: StockRef,
  key: string,
  entry: ReservationEntry,
  state: ReservationState,
  source: string,
  at = new Date().toISOString(),
): ReservationDoc {
  return {
    _id: reservationDocId(ref.sku, ref.nodeId, key),
    key,
    sku: ref.sku,
    nodeId: ref.nodeId,
    quantity: entry.quantity,
    pools: entry.pools ?? {},
    state,
    nonce: entry.nonce,
    version: reservationVersion(entry, state),
    source,
    reservedAt: entry.at,
    ...(state === 'active' ? {} : { settledAt: at }),
    updatedAt: at,
  };
}

/**
 * Writes a reservation document unless a newer state is already stored: the filter matches only an older
 * version, and the upsert's insert then fails on the existing `_id` when the stored one is as new or newer.
 */
export async function writeReservationDoc(c: Collections, doc: ReservationDoc): Promise<void> {
  const { _id, ...rest } = doc;
  const unset = doc.settledAt === undefined ? { $unset: { settledAt: '' as const } } : {};
  try {
    await c.reservations.updateOne(
      { _id, version: { $lt: doc.version } },
      { $set: rest, ...unset },
      { upsert: true },
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error; // a newer (or the same) state is already there
  }
}
