import { isoDateOf } from '../promise/business-days';
import { unitsOf, type BackorderDraft, type ParcelDraft } from './parcel-draft';
import type { SourcingContext } from './sourcing-context';
import type { Allocation, Backorder, DecisionRecord, LineUnits, SourcingResult } from './sourcing-result';

/** Distances are reported to 100 m. */
export const roundKm = (km: number): number => Math.round(km * 10) / 10;

function writeAllocation(ctx: SourcingContext, parcel: ParcelDraft): Allocation {
  const { quote } = parcel;
  const lines = [...parcel.takes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([lineIndex, quantity]) => {
      const line = ctx.lines[lineIndex]!;
      return { lineId: line.lineId, sku: line.sku, quantity };
    });
  return {
    nodeId: quote.node.nodeId,
    nodeType: quote.node.type,
    lines,
    distanceKm: roundKm(quote.distanceKm),
    weightGrams: parcel.weightGrams,
    costMinor: parcel.costMinor,
    dispatchDate: isoDateOf(parcel.promise.dispatchDay),
    promisedDate: isoDateOf(parcel.promise.promisedDay),
    ...(quote.leg === 'transfer' && ctx.target.method === 'pickup'
      ? { transferTo: ctx.target.store.nodeId }
      : {}),
    waitsForInbound: parcel.waitsForInbound,
  };
}

function writeBackorder(ctx: SourcingContext, draft: BackorderDraft): Backorder {
  const line = ctx.lines[draft.lineIndex]!;
  return {
    lineId: line.lineId,
    sku: line.sku,
    quantity: draft.quantity,
    nodeId: draft.quote.node.nodeId,
    expectedAt: draft.expectedAt,
    promisedDate: isoDateOf(draft.promise.promisedDay),
  };
}

/** Turns parcels, backorders and the decision into the engine's answer; units not covered are unfillable. */
export function writeResult(
  ctx: SourcingContext,
  parcels: readonly ParcelDraft[],
  backorders: readonly BackorderDraft[],
  decision: DecisionRecord,
): SourcingResult {
  const missing = ctx.lines.map((line) => line.quantity);
  for (const parcel of parcels)
    for (const [lineIndex, quantity] of parcel.takes) missing[lineIndex]! -= quantity;
  for (const draft of backorders) missing[draft.lineIndex]! -= draft.quantity;
  const unfillable: LineUnits[] = ctx.lines
    .map((line, index) => ({ lineId: line.lineId, sku: line.sku, quantity: missing[index]! }))
    .filter((line) => line.quantity > 0);
  const allocations = [...parcels]
    .sort((a, b) => (a.quote.node.nodeId < b.quote.node.nodeId ? -1 : 1))
    .map((parcel) => writeAllocation(ctx, parcel));
  const written = [...backorders]
    .sort((a, b) => a.lineIndex - b.lineIndex)
    .map((draft) => writeBackorder(ctx, draft));
  const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
  const latestDay = Math.max(...parcels.map((parcel) => parcel.promise.promisedDay));
  return {
    allocations,
    backorders: written,
    unfillable,
    ...(ctx.target.method === 'pickup' ? { pickupNodeId: ctx.target.store.nodeId } : {}),
    totals: {
      units: ctx.totalUnits,
      allocatedUnits: sum(parcels.map(unitsOf)),
      backorderedUnits: sum(backorders.map((draft) => draft.quantity)),
      unfillableUnits: sum(unfillable.map((line) => line.quantity)),
      parcels: parcels.length,
      costMinor: sum(parcels.map((parcel) => parcel.costMinor)),
      ...(parcels.length > 0 ? { promisedDate: isoDateOf(latestDay) } : {}),
    },
    decision,
  };
}
