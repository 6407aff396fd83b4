import type { Filter, UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import { inventoryId, type InventoryDoc, type PendingMovement } from '../db/documents';
import { UnavailableError } from '../errors';
import { ledgerEntry, sumPools } from './ledger';
import { flushPending, pendingField } from './outbox';
import { returnToHolds } from './pool-units';
import { normalizeEntry, reservationDoc } from './reservation-docs';
import { instanceFilter, instanceKey, reservationField, reserveLedgerEntry } from './reservations';
import { assertCount, assertFieldKey, MAX_CAS_ATTEMPTS } from './stock-records';

export interface WriteOffInput {
  /** The reservation whose units the node could not find. */
  key: string;
  sku: string;
  nodeId: string;
  /** Units not found on the shelf. */
  quantity: number;
  reason: string;
  source: string;
}

export interface WriteOffResult {
  outcome: 'written_off' | 'not_reserved';
  /** Units taken out of on-hand (fewer than asked only where other reservations still count on them). */
  writtenOff: number;
}

const writeOffPrefix = (key: string): string => `not_found:${key}`;

// A crash between the update and its follow-ups left the outbox entry: a retry writes it out.
async function finishEarlierWriteOff(c: Collections, doc: InventoryDoc | null, key: string): Promise<void> {
  for (const [id, pending] of Object.entries(doc?.pending ?? {})) {
    if (doc && (id === writeOffPrefix(key) || id.startsWith(`${writeOffPrefix(key)}:`))) {
      await flushPending(c, doc._id, id, pending);
    }
  }
}

/**
 * Stock the node could not find: releases the reservation and takes the units out of on-hand in one
 * update conditional on the reservation's instance, so a retry (the reservation is gone) changes nothing.
 * On-hand never drops below what stays reserved and held: a shortfall beyond that is left for the other
 * reservations' own write-offs.
 */
export async function writeOffReservation(c: Collections, input: WriteOffInput): Promise<WriteOffResult> {
  assertFieldKey('key', input.key);
  assertCount('quantity', input.quantity);
  const ref = { _id: inventoryId(input.sku, input.nodeId), sku: input.sku, nodeId: input.nodeId };
  const field = reservationField(input.key);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const doc = await c.inventory.findOne(
      { _id: ref._id },
      { projection: { available: 1, safetyStock: 1, holds: 1, pending: 1, [field]: 1 } },
    );
    const entry = normalizeEntry(doc?.reservations?.[input.key]);
    if (!doc || !entry) {
      await finishEarlierWriteOff(c, doc, input.key);
      return { outcome: 'not_reserved', writtenOff: 0 };
    }
    const back = returnToHolds(doc.holds, entry.pools);
    const toGeneral = entry.quantity - sumPools(entry.pools) + back.toGeneral;
    // After the update on-hand - reserved - held = available + safetyStock, which must stay >= 0.
    const writtenOff = Math.max(0, Math.min(input.quantity, doc.available + doc.safetyStock + toGeneral));
    const at = new Date().toISOString();
    const instance = instanceKey(input.key, entry);
    const reason = `not found: ${input.reason}`;
    const short = input.quantity - writtenOff;
    const ledger = [
      reserveLedgerEntry(ref, input.key, entry, input.source), // again: if a crash lost it, the ledger balances
      ledgerEntry(
        'release',
        ref,
        instance,
        { onHandDelta: 0, reservedDelta: -entry.quantity, pools: back.backToHolds },
        reason,
        input.source,
        at,
      ),
    ];
    if (writtenOff > 0) {
      ledger.push(
        ledgerEntry(
          'adjustment',
          ref,
          `${writeOffPrefix(instance)}`,
          { onHandDelta: -writtenOff, reservedDelta: 0 },
          short > 0 ? `${reason} (${short} more missing, still reserved by other orders)` : reason,
          input.source,
          at,
        ),
      );
    }
    const pending: PendingMovement = {
      ledger,
      reservation: reservationDoc(ref, input.key, entry, 'released', input.source, at),
    };
    const pendingId = writeOffPrefix(instance);
    const result = await c.inventory.updateOne(
      {
        _id: ref._id,
        ...instanceFilter(input.key, entry),
        ...back.conditions,
        safetyStock: doc.safetyStock,
        available: { $gte: writtenOff - toGeneral - doc.safetyStock },
      } as Filter<InventoryDoc>,
      {
        $inc: {
          ...back.inc,
          reserved: -entry.quantity,
          onHand: -writtenOff,
          available: toGeneral - writtenOff,
        },
        $unset: { [field]: '' },
        $set: { updatedAt: at, [pendingField(pendingId)]: pending },
      } as UpdateFilter<InventoryDoc>,
    );
    if (result.modifiedCount === 1) {
      await flushPending(c, ref._id, pendingId, pending);
      return { outcome: 'written_off', writtenOff };
    }
  }
  throw new UnavailableError(`stock for ${input.sku} at ${input.nodeId} is changing too fast; retry`);
}
