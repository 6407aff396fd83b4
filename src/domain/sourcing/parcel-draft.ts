import type { PromiseDays } from '../promise/promise-delivery';
import type { NodeQuote } from './sourcing-context';

/** A parcel before it is written out: the node, units per line index, weight, cost and promise. */
export interface ParcelDraft {
  quote: NodeQuote;
  takes: Map<number, number>;
  weightGrams: number;
  costMinor: number;
  promise: PromiseDays;
  waitsForInbound: boolean;
}

/** Units of a line backordered against an inbound lot. */
export interface BackorderDraft {
  lineIndex: number;
  quantity: number;
  quote: NodeQuote;
  expectedAt: string;
  promise: PromiseDays;
}

/** Adds `quantity` units of a line to a per-line tally. */
export const addTake = (takes: Map<number, number>, lineIndex: number, quantity: number): void => {
  takes.set(lineIndex, (takes.get(lineIndex) ?? 0) + quantity);
};

/** Units in a parcel. */
export const unitsOf = (parcel: ParcelDraft): number => {
  let units = 0;
  for (const quantity of parcel.takes.values()) units += quantity;
  return units;
};
