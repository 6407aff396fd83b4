import { z } from 'zod';
import { NODE_KINDS } from '../promise/promise-defaults';

const IsoDate = z.iso.date();
const Units = z.number().int().nonnegative();

/** Units of one line. */
export const LineUnits = z.object({ lineId: z.string(), sku: z.string(), quantity: Units }).strict();
export type LineUnits = z.infer<typeof LineUnits>;

/** One parcel: the units a node serves from its stock now. */
export const Allocation = z
  .object({
    nodeId: z.string(),
    nodeType: z.enum(NODE_KINDS),
    lines: z.array(LineUnits),
    /** Node → customer when shipped; node → pickup store for a transfer; 0 at the pickup store itself. */
    distanceKm: z.number(),
    weightGrams: Units,
    costMinor: Units,
    dispatchDate: IsoDate,
    /** Delivery day when shipped; ready-for-pickup day when collected. */
    promisedDate: IsoDate,
    /** Set when the parcel travels to this pickup store before the customer collects it. */
    transferTo: z.string().optional(),
    /** Ship-complete: the parcel leaves with the units backordered at the same node, once received. */
    waitsForInbound: z.boolean(),
  })
  .strict();
export type Allocation = z.infer<typeof Allocation>;

/** Units only inbound supply can cover: reserve them at `nodeId` when the supply arrives. */
export const Backorder = z
  .object({
    lineId: z.string(),
    sku: z.string(),
    quantity: Units,
    nodeId: z.string(),
    expectedAt: z.string(),
    promisedDate: IsoDate,
  })
  .strict();
export type Backorder = z.infer<typeof Backorder>;

/** Why a node was left out before any scoring. */
export const EXCLUSION_REASONS = [
  'no-capability',
  'capacity-exhausted',
  'no-stock',
  'own-stock-first',
  'not-listed',
  /** The node just rejected a fulfilment of these units (stock not on the shelf): none of its stock counts. */
  'rejected',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** Why a scored node was taken or not. */
export const CANDIDATE_REASONS = [
  'taken',
  'higher-cost',
  'later-promise',
  'lower-priority',
  'partial-stock',
  'not-in-best-plan',
  'dominated',
  'cannot-ship-complete',
  'pickup-store-first',
  'farther-store',
] as const;
export type CandidateReason = (typeof CANDIDATE_REASONS)[number];

/** A node that held something useful, its standalone score and the verdict on it. */
export const CandidateVerdict = z
  .object({
    nodeId: z.string(),
    nodeType: z.enum(NODE_KINDS),
    /** 1 = best alone: most units, then cheapest, earliest, priority. */
    rank: z.number().int().positive(),
    /** Units of the order the node could serve now on its own. */
    units: Units,
    /** What shipping those units from this node alone would cost. */
    costMinor: Units,
    distanceKm: z.number(),
    promisedDate: IsoDate,
    taken: z.boolean(),
    reason: z.enum(CANDIDATE_REASONS),
    note: z.string(),
  })
  .strict();
export type CandidateVerdict = z.infer<typeof CandidateVerdict>;

/** How the plan was found. */
export const SOURCING_STRATEGIES = [
  'single-node',
  'exact-search',
  'greedy-search',
  'ship-complete',
  'pickup-at-store',
  'pickup-store-change',
  'nothing-available',
] as const;
export type SourcingStrategy = (typeof SOURCING_STRATEGIES)[number];

/** Ship-complete outcome: one parcel now, one parcel once inbound arrives, or not possible. */
export const SHIP_COMPLETE_OUTCOMES = ['met', 'awaiting-inbound', 'not-possible'] as const;

/** Why the engine chose what it chose: compact enough for the order view and the workflow memo. */
export const DecisionRecord = z
  .object({
    strategy: z.enum(SOURCING_STRATEGIES),
    summary: z.string(),
    shipComplete: z.enum(SHIP_COMPLETE_OUTCOMES).optional(),
    candidates: z.array(CandidateVerdict),
    /** Node ids left out, by reason; `not-listed` are scored candidates ranked below the listed ones. */
    excluded: z.partialRecord(z.enum(EXCLUSION_REASONS), z.array(z.string())),
    search: z.object({ candidates: Units, pruned: Units, plansEvaluated: Units }).strict(),
  })
  .strict();
export type DecisionRecord = z.infer<typeof DecisionRecord>;

/** Totals over the whole order. */
export const SourcingTotals = z
  .object({
    units: Units,
    allocatedUnits: Units,
    backorderedUnits: Units,
    unfillableUnits: Units,
    parcels: Units,
    costMinor: Units,
    /** The latest promised date over the parcels sent now; absent when nothing is. */
    promisedDate: IsoDate.optional(),
  })
  .strict();
export type SourcingTotals = z.infer<typeof SourcingTotals>;

/** The engine's answer; plain JSON, stored on the order and in the workflow memo. */
export const SourcingResult = z
  .object({
    allocations: z.array(Allocation),
    backorders: z.array(Backorder),
    unfillable: z.array(LineUnits),
    /** For pickup: the store where the customer collects (the requested one unless changed). */
    pickupNodeId: z.string().optional(),
    totals: SourcingTotals,
    decision: DecisionRecord,
  })
  .strict();
export type SourcingResult = z.infer<typeof SourcingResult>;
