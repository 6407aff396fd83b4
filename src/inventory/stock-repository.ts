import type { Collections } from '../db/collections';
import {
  adjustReservation,
  type AdjustReservationInput,
  type AdjustReservationOutcome,
} from './adjust-reservation';
import { availabilityFor, type AvailabilityOptions, type NodeAvailability } from './availability';
import { adjust, setCount, type AdjustInput, type SetCountInput } from './counts';
import { releaseHold, setHold, type ReleaseHoldInput, type SetHoldInput } from './holds';
import {
  reserve,
  settleReservation,
  type ConsumeOutcome,
  type ReleaseOutcome,
  type ReservationKeyInput,
  type ReserveInput,
  type ReserveOutcome,
} from './reservations';
import {
  transferReservation,
  type TransferOutcome,
  type TransferReservationInput,
} from './transfer-reservation';
import { readStockDoc, toInventoryRecord, type InventoryRecord } from './stock-records';
import { writeOffReservation, type WriteOffInput, type WriteOffResult } from './write-off';

export type { AdjustReservationInput, AdjustReservationOutcome } from './adjust-reservation';
export type { AvailabilityOptions, NodeAvailability } from './availability';
export type { AdjustInput, SetCountInput } from './counts';
export type { PoolCaller, ReleaseHoldInput, SetHoldInput } from './holds';
export type {
  ConsumeOutcome,
  ReleaseOutcome,
  ReservationKeyInput,
  ReserveInput,
  ReserveOutcome,
} from './reservations';
export type { TransferOutcome, TransferReservationInput } from './transfer-reservation';
export type { WriteOffInput, WriteOffResult } from './write-off';
export { toInventoryRecord, type HoldView, type InventoryRecord } from './stock-records';

/** Stock per (sku, node): every change is a single-document atomic update, never read-then-write. */
export interface StockRepository {
  getRecord(sku: string, nodeId: string): Promise<InventoryRecord | null>;
  /** Absolute count; ConflictError when it would drop below what is reserved and held. */
  setCount(input: SetCountInput): Promise<InventoryRecord>;
  /** Relative change; ConflictError below reserved + held or zero, NotFoundError for a decrement of unknown stock. */
  adjust(input: AdjustInput): Promise<InventoryRecord>;
  /** Takes units from the caller's holds first (when `pool` is given), then from general availability. */
  reserve(input: ReserveInput): Promise<ReserveOutcome>;
  /** Gives the units back: to the hold they came from while it exists, else to general availability. */
  release(input: ReservationKeyInput): Promise<ReleaseOutcome>;
  /** The parcel left the building: on-hand and reserved both drop by the reserved quantity. */
  consume(input: ReservationKeyInput): Promise<ConsumeOutcome>;
  /** Moves a live reservation to another key in one atomic update: the units stay reserved, counted once. */
  transferReservation(input: TransferReservationInput): Promise<TransferOutcome>;
  /** Sets a live reservation's total quantity; raising takes the extra units like a reserve. */
  adjustReservation(input: AdjustReservationInput): Promise<AdjustReservationOutcome>;
  /** Units not found on the shelf: the reservation is released and on-hand drops by them, once. */
  writeOff(input: WriteOffInput): Promise<WriteOffResult>;
  /** Sets the units held for a pool (`channel:<id>` or `segment:<id>`); ConflictError beyond what is available. */
  setHold(input: SetHoldInput): Promise<InventoryRecord>;
  /** Ends a hold, its units back to general availability; NotFoundError when there is none. */
  releaseHold(input: ReleaseHoldInput): Promise<InventoryRecord>;
  /** Network view per SKU (nodes holding a record): what the caller (channel/segment) may sell, never below 0. */
  availabilityFor(skus: string[], options?: AvailabilityOptions): Promise<Map<string, NodeAvailability[]>>;
}

/** Creates the stock repository over the inventory, ledger and reservation collections. */
export function createStockRepository(c: Collections): StockRepository {
  return {
    getRecord: async (sku, nodeId) => {
      const doc = await readStockDoc(c, sku, nodeId);
      return doc ? toInventoryRecord(doc) : null;
    },
    setCount: (input) => setCount(c, input),
    adjust: (input) => adjust(c, input),
    reserve: (input) => reserve(c, input),
    release: async (input) => ((await settleReservation(c, input, 'release')) ? 'released' : 'not_reserved'),
    consume: async (input) => ((await settleReservation(c, input, 'ship')) ? 'consumed' : 'not_reserved'),
    transferReservation: (input) => transferReservation(c, input),
    adjustReservation: (input) => adjustReservation(c, input),
    writeOff: (input) => writeOffReservation(c, input),
    setHold: (input) => setHold(c, input),
    releaseHold: (input) => releaseHold(c, input),
    availabilityFor: (skus, options) => availabilityFor(c, skus, options),
  };
}
