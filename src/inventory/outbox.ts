import type { UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import type { InventoryDoc, PendingMovement } from '../db/documents';
import { appendLedger } from './ledger';
import { writeReservationDoc } from './reservation-docs';

/**
 * The movement outbox. A movement's ledger line (and reservation document) is stored under
 * `pending.<id>` in the same atomic update that changes the counters, then written out and removed.
 * A crash in between leaves it in the inventory document, where the next flush (reconciliation, or a
 * retry of the same movement) finds it: the ledger never misses a movement and never counts one twice.
 */
export const pendingField = (id: string): string => `pending.${id}`;

/** Writes a pending movement's follow-ups (idempotent upserts), then removes it from the outbox. */
export async function flushPending(
  c: Collections,
  inventoryId: string,
  id: string,
  pending: PendingMovement,
): Promise<void> {
  for (const entry of pending.ledger) await appendLedger(c, entry);
  if (pending.reservation) await writeReservationDoc(c, pending.reservation);
  await c.inventory.updateOne({ _id: inventoryId }, {
    $unset: { [pendingField(id)]: '' },
  } as UpdateFilter<InventoryDoc>);
}

/** Flushes every movement left pending in a document (after a crash); answers how many there were. */
export async function flushAllPending(
  c: Collections,
  doc: Pick<InventoryDoc, '_id' | 'pending'>,
): Promise<number> {
  const entries = Object.entries(doc.pending ?? {});
  for (const [id, pending] of entries) await flushPending(c, doc._id, id, pending);
  return entries.length;
}
