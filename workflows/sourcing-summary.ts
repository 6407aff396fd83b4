import type { SourcingResult } from '../src/domain/sourcing/sourcing-result';

/** The compact form of the sourcing decision kept in the workflow memo, so the Temporal UI shows it. */
export interface SourcingMemo {
  strategy: string;
  summary: string;
  attempt: number;
  parcels: { nodeId: string; units: number; promisedDate: string }[];
  backorderedUnits: number;
  unfillableUnits: number;
  costMinor: number;
}

const unitsOf = (lines: readonly { quantity: number }[]): number =>
  lines.reduce((sum, line) => sum + line.quantity, 0);

/** Memo entry for a plan. */
export function sourcingMemo(plan: SourcingResult, attempt: number): SourcingMemo {
  return {
    strategy: plan.decision.strategy,
    summary: plan.decision.summary,
    attempt,
    parcels: plan.allocations.map((a) => ({
      nodeId: a.nodeId,
      units: unitsOf(a.lines),
      promisedDate: a.promisedDate,
    })),
    backorderedUnits: plan.totals.backorderedUnits,
    unfillableUnits: plan.totals.unfillableUnits,
    costMinor: plan.totals.costMinor,
  };
}

/** One line for the timeline: which node sends how many units, promised when. */
export function describePlan(plan: SourcingResult): string {
  const parcels = plan.allocations.map((a) => `${a.nodeId} ${unitsOf(a.lines)} by ${a.promisedDate}`);
  return `${plan.decision.strategy}: ${parcels.join(', ') || 'no parcel'} (${plan.decision.summary})`;
}

/** What the engine proposed for units it cannot send now: backorders against inbound supply, and the rest. */
export function describeBackorderProposal(plan: SourcingResult): string {
  const now = `${plan.totals.allocatedUnits} of ${plan.totals.units} units now`;
  const later = plan.backorders.map(
    (b) =>
      `${b.sku}×${b.quantity} at ${b.nodeId} expected ${b.expectedAt.slice(0, 10)}, promised ${b.promisedDate}`,
  );
  const none = plan.unfillable.map((u) => `${u.sku}×${u.quantity}`);
  return [
    now,
    later.length > 0 ? `backorder ${later.join(', ')}` : undefined,
    none.length > 0 ? `unfillable ${none.join(', ')}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join('; ');
}
