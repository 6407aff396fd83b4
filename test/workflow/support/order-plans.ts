import type { PlanSourcingInput } from '../../../activities/sourcing.activities';
import type { SourcingResult } from '../../../src/domain/sourcing/sourcing-result';
import { singleNodePlan } from './fake-order-activities';

/** What a backordered plan waits for: inbound supply at a node, expected then, promised for that day. */
export interface Supply {
  nodeId?: string;
  expectedAt: string;
  promisedDate: string;
}

/**
 * The engine's answer when nothing is on hand but inbound supply covers every line: no parcel now, every
 * unit backordered against the supply.
 */
export function backorderedPlan(input: PlanSourcingInput, supply: Supply): SourcingResult {
  const plan = singleNodePlan(input, supply.nodeId ?? 'WH-LYON');
  const units = plan.totals.units;
  return {
    ...plan,
    allocations: [],
    backorders: input.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      nodeId: supply.nodeId ?? 'WH-LYON',
      expectedAt: supply.expectedAt,
      promisedDate: supply.promisedDate,
    })),
    totals: {
      units,
      allocatedUnits: 0,
      backorderedUnits: units,
      unfillableUnits: 0,
      parcels: 0,
      costMinor: 0,
    },
    decision: { ...plan.decision, strategy: 'nothing-available', summary: 'waiting for inbound supply' },
  };
}

/** The engine's answer when nobody has the units and no supply is expected. */
export function unfillablePlan(input: PlanSourcingInput): SourcingResult {
  const plan = backorderedPlan(input, { expectedAt: '', promisedDate: '' });
  const units = plan.totals.units;
  return {
    ...plan,
    backorders: [],
    unfillable: input.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
    totals: { ...plan.totals, backorderedUnits: 0, unfillableUnits: units },
  };
}

/**
 * The engine's answer when no single node holds everything: one parcel per node, each line from the node
 * named for it (WH-LYON when none is).
 */
export function splitPlan(input: PlanSourcingInput, nodeOfLine: Record<string, string>): SourcingResult {
  const nodeOf = (lineId: string) => nodeOfLine[lineId] ?? 'WH-LYON';
  const nodes = [...new Set(input.lines.map((line) => nodeOf(line.lineId)))];
  const parts = nodes.map((nodeId) =>
    singleNodePlan({ ...input, lines: input.lines.filter((line) => nodeOf(line.lineId) === nodeId) }, nodeId),
  );
  const sum = (of: (part: SourcingResult) => number) => parts.reduce((total, part) => total + of(part), 0);
  const first = parts[0]!;
  return {
    ...first,
    allocations: parts.flatMap((part) => part.allocations),
    totals: {
      ...first.totals,
      units: sum((part) => part.totals.units),
      allocatedUnits: sum((part) => part.totals.allocatedUnits),
      parcels: parts.length,
      costMinor: sum((part) => part.totals.costMinor),
    },
    decision: { ...first.decision, strategy: 'exact-search', summary: `split over ${nodes.join(', ')}` },
  };
}
