import { setTimeout as sleep } from 'node:timers/promises';
import type { Collections } from '../db/collections';
import type {
  InboundDoc,
  InventoryDoc,
  ReservationDoc,
  ReservationEntry,
  StockLedgerDoc,
} from '../db/documents';
import { inventoryId, reservationDocId } from '../db/documents';
import { sumPools } from './ledger';
import { flushAllPending } from './outbox';
import { applyReceipts } from './receive-inbound';
import { reservationDoc, normalizeEntry, writeReservationDoc } from './reservation-docs';
import { reserveLedgerEntry, writeReserveFollowUps } from './reservations';
import { readSkuDirectory } from './sku-directory';

export const DRIFT_CHECKS = [
  'reserved_vs_reservations',
  'held_vs_holds',
  'available_formula',
  'stock_invariant',
  'on_hand_vs_ledger',
  'reserved_vs_ledger',
  'hold_vs_ledger',
  'ledger_line_missing',
  'reservation_doc_mismatch',
  'reservation_doc_stale',
  'inbound_received_vs_receipts',
  'receipt_not_counted',
] as const;
export type DriftCheck = (typeof DRIFT_CHECKS)[number];

/** One disagreement found on a stock record. */
export interface DriftItem {
  sku: string;
  nodeId: string;
  check: DriftCheck;
  expected: number | string;
  actual: number | string;
  detail: string;
}

export interface ReconciliationReport {
  /** Stock records checked. */
  checked: number;
  drift: DriftItem[];
  /** Movements found in an outbox (in flight, or left by a crash); counted with the ledger. */
  unflushed: number;
  /** Records repaired (only with `repair`): outboxes flushed, lost follow-up writes and receipts redone. */
  repaired: number;
  at: string;
}

export interface ReconcileOptions {
  /** Complete what a crash interrupted before checking (every repair is an idempotent write). */
  repair?: boolean;
  /** Only these SKUs (all when absent). */
  skus?: string[];
}

interface LiveEntry {
  key: string;
  entry: ReservationEntry;
}

interface RecordFacts {
  doc: InventoryDoc;
  live: LiveEntry[];
  ledger: StockLedgerDoc[];
  reservationDocs: ReservationDoc[];
  inbound: InboundDoc[];
}

const liveEntries = (doc: InventoryDoc): LiveEntry[] =>
  Object.entries(doc.reservations ?? {}).flatMap(([key, value]) => {
    const entry = normalizeEntry(value);
    return entry ? [{ key, entry }] : [];
  });

// The ledger and reservation documents of a record are read by (sku, nodeId): indexed on MongoDB, a scan
// on the dev server (reconciliation is an admin pass, off the hot path). Inbound comes through the directory.
async function readFacts(c: Collections, doc: InventoryDoc): Promise<RecordFacts> {
  const where = { sku: doc.sku, nodeId: doc.nodeId };
  const [ledger, reservationDocs, inboundIds] = await Promise.all([
    c.stockLedger.find(where).toArray(),
    c.reservations.find(where).toArray(),
    readSkuDirectory(c, [doc.sku], 'inboundIds'),
  ]);
  const ids = inboundIds.get(doc.sku) ?? [];
  const inbound = ids.length > 0 ? await c.inbound.find({ _id: { $in: ids } }).toArray() : [];
  return {
    doc,
    live: liveEntries(doc),
    ledger,
    reservationDocs,
    inbound: inbound.filter((shipment) => shipment.nodeId === doc.nodeId),
  };
}

/** The records to check: those of the given SKUs by `_id` through the directory, or every record. */
async function* recordIds(c: Collections, skus: readonly string[] | undefined): AsyncGenerator<string> {
  if (!skus) {
    for await (const { _id } of c.inventory.find({}, { projection: { _id: 1 } })) yield _id;
    return;
  }
  for (const [sku, nodeIds] of await readSkuDirectory(c, skus, 'nodeIds')) {
    for (const nodeId of [...nodeIds].sort()) yield inventoryId(sku, nodeId);
  }
}

/** Every ledger line that should exist: written ones, those still in the outbox, and live reservations' own. */
function expectedLedger(facts: RecordFacts): { lines: StockLedgerDoc[]; missing: StockLedgerDoc[] } {
  const byId = new Map(facts.ledger.map((line) => [line._id, line]));
  for (const pending of Object.values(facts.doc.pending ?? {})) {
    for (const line of pending.ledger) if (!byId.has(line._id)) byId.set(line._id, line);
  }
  const missing: StockLedgerDoc[] = [];
  for (const { key, entry } of facts.live) {
    const line = reserveLedgerEntry(facts.doc, key, entry, 'reconciliation');
    if (!byId.has(line._id)) {
      missing.push(line);
      byId.set(line._id, line);
    }
  }
  return { lines: [...byId.values()], missing };
}

/** Every check on one stock record, against its counters, ledger, reservation documents and receipts. */
function checkFacts(facts: RecordFacts): DriftItem[] {
  const { doc } = facts;
  const drift: DriftItem[] = [];
  const report = (check: DriftCheck, expected: number | string, actual: number | string, detail: string) => {
    if (expected !== actual)
      drift.push({ sku: doc.sku, nodeId: doc.nodeId, check, expected, actual, detail });
  };
  const heldTotal = doc.heldTotal ?? 0;
  const liveReserved = facts.live.reduce((sum, { entry }) => sum + entry.quantity, 0);
  report('reserved_vs_reservations', liveReserved, doc.reserved, 'reserved = sum of live reservations');
  report('held_vs_holds', sumPools(doc.holds), heldTotal, 'heldTotal = sum of holds');
  report(
    'available_formula',
    doc.onHand - doc.reserved - doc.safetyStock - heldTotal,
    doc.available,
    'available = onHand - reserved - safetyStock - heldTotal',
  );
  const negative = Object.values(doc.holds ?? {}).some((n) => n < 0) || doc.reserved < 0;
  report(
    'stock_invariant',
    'ok',
    !negative && doc.reserved + heldTotal <= doc.onHand ? 'ok' : 'broken',
    `0 <= reserved (${doc.reserved}), reserved + held (${heldTotal}) <= onHand (${doc.onHand}), holds >= 0`,
  );

  const { lines, missing } = expectedLedger(facts);
  for (const line of missing) {
    report('ledger_line_missing', line._id, 'absent', 'a live reservation has no ledger line');
  }
  const sum = (pick: (line: StockLedgerDoc) => number) =>
    lines.reduce((total, line) => total + pick(line), 0);
  report(
    'on_hand_vs_ledger',
    sum((line) => line.onHandDelta),
    doc.onHand,
    'onHand = sum of ledger onHandDelta',
  );
  report(
    'reserved_vs_ledger',
    sum((line) => line.reservedDelta),
    doc.reserved,
    'reserved = sum of reservedDelta',
  );
  const pools = new Set([
    ...Object.keys(doc.holds ?? {}),
    ...lines.flatMap((line) => Object.keys(line.pools ?? {})),
  ]);
  for (const pool of [...pools].sort()) {
    report(
      'hold_vs_ledger',
      sum((line) => line.pools?.[pool] ?? 0),
      doc.holds?.[pool] ?? 0,
      `hold ${pool}`,
    );
  }

  const docsById = new Map(facts.reservationDocs.map((reservation) => [reservation._id, reservation]));
  const liveIds = new Set<string>();
  for (const { key, entry } of facts.live) {
    const id = reservationDocId(doc.sku, doc.nodeId, key);
    liveIds.add(id);
    const stored = docsById.get(id);
    const shown = stored ? `${stored.state} ${stored.quantity} (${stored.nonce})` : 'absent';
    report(
      'reservation_doc_mismatch',
      `active ${entry.quantity} (${entry.nonce})`,
      shown,
      `reservation ${key}`,
    );
  }
  const settling = new Set(
    Object.values(doc.pending ?? {}).flatMap((pending) =>
      pending.reservation ? [pending.reservation._id] : [],
    ),
  );
  for (const stored of facts.reservationDocs) {
    if (stored.state === 'active' && !liveIds.has(stored._id) && !settling.has(stored._id)) {
      report('reservation_doc_stale', 'settled', 'active', `reservation ${stored.key} is no longer live`);
    }
  }

  for (const inbound of facts.inbound) {
    const received = inbound.receipts.reduce((total, receipt) => total + receipt.quantity, 0);
    report('inbound_received_vs_receipts', received, inbound.receivedQuantity, `inbound ${inbound._id}`);
    const counted = doc.receiptSeqs?.[inbound._id] ?? 0;
    report('receipt_not_counted', inbound.receipts.length, counted, `receipts of ${inbound._id} in onHand`);
  }
  return drift;
}

/** Completes what a crash interrupted on one record; answers whether anything needed it. */
async function repairRecord(c: Collections, facts: RecordFacts): Promise<boolean> {
  let repaired = (await flushAllPending(c, facts.doc)) > 0;
  const { missing } = expectedLedger(facts);
  const docsById = new Map(facts.reservationDocs.map((reservation) => [reservation._id, reservation]));
  const liveIds = new Set<string>();
  for (const { key, entry } of facts.live) {
    const id = reservationDocId(facts.doc.sku, facts.doc.nodeId, key);
    liveIds.add(id);
    const stored = docsById.get(id);
    const lineMissing = missing.some(
      (line) => line._id === reserveLedgerEntry(facts.doc, key, entry, '')._id,
    );
    if (lineMissing || stored?.state !== 'active' || stored.nonce !== entry.nonce) {
      await writeReserveFollowUps(c, facts.doc, key, entry, 'reconciliation');
      repaired = true;
    }
  }
  for (const stored of facts.reservationDocs) {
    if (stored.state !== 'active' || liveIds.has(stored._id)) continue;
    // Settled: the ledger tells whether it was released or shipped.
    const instance = stored.nonce ? `${stored.key}:${stored.nonce}` : stored.key;
    const [released, shipped] = await Promise.all(
      ['release', 'ship'].map((movement) =>
        c.stockLedger.findOne(
          { _id: `${movement}:${facts.doc._id}:${instance}` },
          { projection: { _id: 1 } },
        ),
      ),
    );
    if (!released && !shipped) continue;
    const entry = {
      quantity: stored.quantity,
      nonce: stored.nonce,
      pools: stored.pools,
      at: stored.reservedAt,
    };
    const state = shipped ? 'consumed' : 'released';
    await writeReservationDoc(c, reservationDoc(facts.doc, stored.key, entry, state, 'reconciliation'));
    repaired = true;
  }
  for (const inbound of facts.inbound) {
    if ((facts.doc.receiptSeqs?.[inbound._id] ?? 0) < inbound.receipts.length) {
      await applyReceipts(c, inbound._id);
      repaired = true;
    }
  }
  return repaired;
}

// A record that is moving while it is read can look out of step for a moment: look again before reporting.
const ATTEMPTS = 3;
const PAUSE_MS = 25;

/**
 * Checks, for every SKU and node, that the counters agree with the live reservations, the holds, the
 * ledger, the reservation documents and the receipts; reports each disagreement that persists.
 */
export async function reconcileInventory(
  c: Collections,
  options: ReconcileOptions = {},
): Promise<ReconciliationReport> {
  const report: ReconciliationReport = { checked: 0, drift: [], unflushed: 0, repaired: 0, at: '' };
  for await (const _id of recordIds(c, options.skus)) {
    let drift: DriftItem[] = [];
    let repaired = false;
    let found = false;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(PAUSE_MS);
      const doc = await c.inventory.findOne({ _id });
      if (!doc) break; // listed in the directory but not written (yet): nothing to check
      found = true;
      let facts = await readFacts(c, doc);
      if (options.repair && (await repairRecord(c, facts))) {
        repaired = true;
        facts = await readFacts(c, (await c.inventory.findOne({ _id })) ?? doc);
      }
      if (attempt === 0) report.unflushed += Object.keys(facts.doc.pending ?? {}).length;
      drift = checkFacts(facts);
      if (drift.length === 0) break;
    }
    if (!found) continue;
    report.checked += 1;
    if (repaired) report.repaired += 1;
    report.drift.push(...drift);
  }
  report.at = new Date().toISOString();
  return report;
}
