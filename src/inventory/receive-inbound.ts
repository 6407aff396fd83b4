import type { Filter, UpdateFilter } from 'mongodb';
import type { Collections } from '../db/collections';
import { inventoryId, type InboundDoc, type InboundReceipt, type InventoryDoc } from '../db/documents';
import { ConflictError, NotFoundError, UnavailableError } from '../errors';
import { ledgerEntry } from './ledger';
import { flushPending, pendingField } from './outbox';
import { assertPositive, insertStockRecord, MAX_CAS_ATTEMPTS } from './stock-records';
import { toInboundView, type InboundView } from './inbound-repository';
import type { StockArrivalNotifier, WakeReport } from './stock-waiters';
import { wakeForInbound } from './wake-ups';

export interface ReceiveInboundInput {
  inboundId: string;
  /** Units received now; all that is still expected when absent. */
  quantity?: number;
  source: string;
  /** Identifies the request (e.g. a fingerprint of its Idempotency-Key): a retry finds its receipt again. */
  requestKey?: string;
}

export interface ReceiveInboundResult {
  inbound: InboundView;
  receipt: { seq: number; quantity: number };
  /** True when this request had already been received (a retry): nothing was counted again. */
  replayed: boolean;
  waiters: WakeReport;
}

/**
 * Adds one receipt to on-hand, exactly once. The inventory document keeps, per inbound shipment, the
 * last receipt seq it counted; the update is conditional on it being seq - 1, so a receipt is counted
 * once and in order whoever applies it (the receiving request, a concurrent one, a retry, reconciliation).
 */
async function applyReceipt(c: Collections, inbound: InboundDoc, receipt: InboundReceipt): Promise<void> {
  const ref = { _id: inventoryId(inbound.sku, inbound.nodeId), sku: inbound.sku, nodeId: inbound.nodeId };
  const marker = `receiptSeqs.${inbound._id}`;
  const key = `${inbound._id}:${receipt.seq}`;
  const pendingId = `receipt:${key}`;
  const entry = ledgerEntry(
    'receipt',
    ref,
    key,
    { onHandDelta: receipt.quantity, reservedDelta: 0 },
    `inbound ${inbound._id} receipt ${receipt.seq}`,
    receipt.source,
    receipt.at,
  );
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const result = await c.inventory.updateOne(
      {
        _id: ref._id,
        [marker]: receipt.seq === 1 ? { $exists: false } : receipt.seq - 1,
      } as Filter<InventoryDoc>,
      {
        $inc: { onHand: receipt.quantity, available: receipt.quantity },
        $set: {
          [marker]: receipt.seq,
          updatedAt: receipt.at,
          [pendingField(pendingId)]: { ledger: [entry] },
        },
      } as UpdateFilter<InventoryDoc>,
    );
    if (result.modifiedCount === 1) {
      await flushPending(c, ref._id, pendingId, { ledger: [entry] });
      return;
    }
    const doc = await c.inventory.findOne({ _id: ref._id }, { projection: { receiptSeqs: 1 } });
    if (!doc) {
      // First stock of this SKU at this node: create the record (empty), then count the receipt into it.
      await insertStockRecord(c, { sku: inbound.sku, nodeId: inbound.nodeId, onHand: 0, safetyStock: 0 });
      continue;
    }
    const counted = doc.receiptSeqs?.[inbound._id] ?? 0;
    if (counted >= receipt.seq) return; // counted by a concurrent or earlier call
    if (counted < receipt.seq - 1) break; // an earlier receipt is not counted yet: never count out of order
  }
  throw new UnavailableError(`receipt ${receipt.seq} of ${inbound._id} could not be counted yet; retry`);
}

/** Counts every receipt of an inbound shipment not yet known to be in on-hand; answers how many it looked at. */
export async function applyReceipts(c: Collections, inboundId: string): Promise<number> {
  const inbound = await c.inbound.findOne({ _id: inboundId });
  if (!inbound) return 0;
  const unapplied = inbound.receipts
    .filter((receipt) => receipt.seq > inbound.appliedSeq)
    .sort((a, b) => a.seq - b.seq);
  for (const receipt of unapplied) {
    await applyReceipt(c, inbound, receipt);
    await c.inbound.updateOne(
      { _id: inboundId, appliedSeq: { $lt: receipt.seq } },
      { $set: { appliedSeq: receipt.seq } },
    );
  }
  return unapplied.length;
}

// Adds the receipt to the inbound document: a compare-and-set on receivedQuantity, which every receipt raises.
async function claimReceipt(
  c: Collections,
  input: ReceiveInboundInput,
): Promise<{ receipt: InboundReceipt; replayed: boolean }> {
  if (input.quantity !== undefined) assertPositive('quantity', input.quantity);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const doc = await c.inbound.findOne({ _id: input.inboundId });
    if (!doc) throw new NotFoundError(`Inbound ${input.inboundId} does not exist.`);
    const earlier = input.requestKey && doc.receipts.find((r) => r.requestKey === input.requestKey);
    if (earlier) return { receipt: earlier, replayed: true };
    const remaining = doc.quantity - doc.receivedQuantity;
    if (remaining === 0) {
      throw new ConflictError(`Inbound ${doc._id} has been received in full.`, 'inbound-fully-received');
    }
    const quantity = input.quantity ?? remaining;
    if (quantity > remaining) {
      throw new ConflictError(
        `Receiving ${quantity} units of inbound ${doc._id} exceeds the ${remaining} still expected.`,
        'over-receipt',
      );
    }
    const receipt: InboundReceipt = {
      seq: doc.receipts.length + 1,
      quantity,
      ...(input.requestKey ? { requestKey: input.requestKey } : {}),
      at: new Date().toISOString(),
      source: input.source,
    };
    const received = doc.receivedQuantity + quantity;
    const claimed = await c.inbound.updateOne(
      { _id: doc._id, receivedQuantity: doc.receivedQuantity },
      {
        $inc: { receivedQuantity: quantity },
        $push: { receipts: receipt },
        $set: {
          status: received === doc.quantity ? 'received' : 'partially_received',
          updatedAt: receipt.at,
          wakePending: true, // the wake-up outbox: owed until every waiter was told
        },
      },
    );
    if (claimed.modifiedCount === 1) return { receipt, replayed: false };
  }
  throw new UnavailableError(`inbound ${input.inboundId} is being received concurrently; retry`);
}

/**
 * Receives inbound supply: the receipt is claimed on the inbound document (over-receipt refused), counted
 * into on-hand exactly once, and every order waiting on the SKU is told (when a notifier is given; a wake-up
 * that cannot be delivered now stays owed in the inbound document, see wake-ups.ts).
 */
export async function receiveInbound(
  c: Collections,
  input: ReceiveInboundInput,
  notify?: StockArrivalNotifier,
): Promise<ReceiveInboundResult> {
  const { receipt, replayed } = await claimReceipt(c, input);
  await applyReceipts(c, input.inboundId);
  const waiters = notify
    ? await wakeForInbound(c, input.inboundId, notify)
    : { notified: 0, removed: 0, failed: 0 }; // owed: the worker's retry loop delivers it
  const inbound = (await c.inbound.findOne({ _id: input.inboundId })) as InboundDoc;
  return {
    inbound: toInboundView(inbound),
    receipt: { seq: receipt.seq, quantity: receipt.quantity },
    replayed,
    waiters,
  };
}
