import type { Filter, UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import { inventoryId, type InventoryDoc, type PendingMovement, type ReservationEntry } from '../db/documents';
import { UnavailableError } from '../errors';
import { ledgerEntry } from './ledger';
import { flushPending, pendingField } from './outbox';
import { normalizeEntry, reservationDoc, writeReservationDoc } from './reservation-docs';
import { reserveLedgerEntry } from './reservations';
import { assertFieldKey, MAX_CAS_ATTEMPTS } from './stock-records';

export interface TransferReservationInput {
  fromKey: string;
  toKey: string;
  sku: string;
  nodeId: string;
  source: string;
}
export type TransferOutcome = 'transferred' | 'already_transferred' | 'not_found';

const field = (key: string): string => `reservations.${key}`;

/**
 * Moves a live reservation to another key in one update conditional on its instance (nonce): the units
 * stay reserved, so reserved and available do not change and they are never counted under both keys.
 * The ledger records a release of the old key and a reserve of the new one (they cancel out), and the
 * reservation documents follow through the outbox.
 */
export async function transferReservation(
  c: Collections,
  input: TransferReservationInput,
): Promise<TransferOutcome> {
  assertFieldKey('fromKey', input.fromKey);
  assertFieldKey('toKey', input.toKey);
  const ref = { _id: inventoryId(input.sku, input.nodeId), sku: input.sku, nodeId: input.nodeId };
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const doc = await c.inventory.findOne(
      { _id: ref._id },
      { projection: { [field(input.fromKey)]: 1, [field(input.toKey)]: 1 } },
    );
    const entry = normalizeEntry(doc?.reservations?.[input.fromKey]);
    if (!entry) {
      return doc?.reservations?.[input.toKey] !== undefined ? 'already_transferred' : 'not_found';
    }
    if (doc?.reservations?.[input.toKey] !== undefined) return 'not_found'; // the target key is taken
    const moved = { ...entry, nonce: entry.nonce || 'moved' };
    const at = new Date().toISOString();
    const releaseId = entry.nonce ? `${input.fromKey}:${entry.nonce}` : input.fromKey;
    const pending: PendingMovement = {
      ledger: [
        reserveLedgerEntry(ref, input.fromKey, entry, input.source),
        ledgerEntry(
          'release',
          ref,
          releaseId,
          { onHandDelta: 0, reservedDelta: -entry.quantity, pools: entry.pools ?? {} },
          `transfer ${input.fromKey} to ${input.toKey}`,
          input.source,
          at,
        ),
        reserveLedgerEntry(ref, input.toKey, moved, input.source),
      ],
      reservation: reservationDoc(ref, input.fromKey, entry, 'released', input.source, at),
    };
    const pendingId = `transfer:${releaseId}`;
    const filter: Record<string, unknown> = {
      _id: ref._id,
      ...(entry.nonce
        ? { [`${field(input.fromKey)}.nonce`]: entry.nonce }
        : { [field(input.fromKey)]: entry.quantity }),
      [field(input.toKey)]: { $exists: false },
    };
    const result = await c.inventory.updateOne(
      filter as Filter<InventoryDoc>,
      {
        $unset: { [field(input.fromKey)]: '' },
        $set: { [field(input.toKey)]: moved, updatedAt: at, [pendingField(pendingId)]: pending },
      } as UpdateFilter<InventoryDoc>,
    );
    if (result.modifiedCount === 1) {
      await flushPending(c, ref._id, pendingId, pending);
      await writeActiveDoc(c, ref, input, moved);
      return 'transferred';
    }
  }
  throw new UnavailableError(`stock for ${input.sku} at ${input.nodeId} is changing too fast; retry`);
}

// The new key's active document; reconciliation rewrites it from the embedded entry if this is lost.
async function writeActiveDoc(
  c: Collections,
  ref: { _id: string; sku: string; nodeId: string },
  input: TransferReservationInput,
  entry: ReservationEntry,
): Promise<void> {
  await writeReservationDoc(c, reservationDoc(ref, input.toKey, entry, 'active', input.source));
}
