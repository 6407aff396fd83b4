import type { NodeKind } from '../promise/promise-defaults';
import type { SourcingResult } from './sourcing-result';

/** What a plan that sends every line from one node needs to know. */
export interface SingleNodePlanInput {
  nodeId: string;
  nodeType: NodeKind;
  lines: readonly { lineId: string; sku: string; quantity: number }[];
  /** Dispatch and promised day (YYYY-MM-DD). */
  day: string;
  distanceKm: number;
  weightGrams: number;
  costMinor: number;
  summary: string;
}

/** A sourcing result with one allocation holding every unit: for plans decided without the engine's search. */
export function singleNodePlan(input: SingleNodePlanInput): SourcingResult {
  const units = input.lines.reduce((sum, line) => sum + line.quantity, 0);
  return {
    allocations: [
      {
        nodeId: input.nodeId,
        nodeType: input.nodeType,
        lines: input.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
        distanceKm: input.distanceKm,
        weightGrams: input.weightGrams,
        costMinor: input.costMinor,
        dispatchDate: input.day,
        promisedDate: input.day,
        waitsForInbound: false,
      },
    ],
    backorders: [],
    unfillable: [],
    totals: {
      units,
      allocatedUnits: units,
      backorderedUnits: 0,
      unfillableUnits: 0,
      parcels: 1,
      costMinor: input.costMinor,
      promisedDate: input.day,
    },
    decision: {
      strategy: 'single-node',
      summary: input.summary,
      candidates: [],
      excluded: {},
      search: { candidates: 1, pruned: 0, plansEvaluated: 1 },
    },
  };
}
