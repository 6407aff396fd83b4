import type { NodeKind } from '../promise/promise-defaults';

/** What one parcel costs, in integer minor units; the carrier part grows with distance and weight. */
export interface ShippingCostModel {
  /** Picking and packing at the node, per parcel. */
  handlingMinor: number;
  /** Carrier base rate per parcel. */
  parcelBaseMinor: number;
  /** Carrier rate per 100 km, per parcel. */
  per100KmMinor: number;
  /** Carrier rate per kg. */
  perKgMinor: number;
  /** Carrier rate per kg and per 100 km. */
  perKgPer100KmMinor: number;
  /** Added per parcel for the express service. */
  expressSurchargeMinor: number;
}

/** Handling per parcel by node kind: stores pack on the shop floor, vendors charge a drop-ship fee. */
export const DEFAULT_HANDLING_MINOR: Readonly<Record<NodeKind, number>> = {
  warehouse: 150,
  store: 350,
  dropship: 250,
};

/** Default carrier rates (EUR cents), the same for every node unless the node overrides them. */
export const DEFAULT_CARRIER_RATES: Readonly<Omit<ShippingCostModel, 'handlingMinor'>> = {
  parcelBaseMinor: 450,
  per100KmMinor: 60,
  perKgMinor: 90,
  perKgPer100KmMinor: 25,
  expressSurchargeMinor: 500,
};

const DEFAULT_MODELS: Readonly<Record<NodeKind, ShippingCostModel>> = {
  warehouse: { handlingMinor: DEFAULT_HANDLING_MINOR.warehouse, ...DEFAULT_CARRIER_RATES },
  store: { handlingMinor: DEFAULT_HANDLING_MINOR.store, ...DEFAULT_CARRIER_RATES },
  dropship: { handlingMinor: DEFAULT_HANDLING_MINOR.dropship, ...DEFAULT_CARRIER_RATES },
};

/** The cost model of a node: defaults for its kind, overridden field by field by the node's own. */
export function resolveCostModel(
  kind: NodeKind,
  override?: Partial<ShippingCostModel>,
): Readonly<ShippingCostModel> {
  return override ? { ...DEFAULT_MODELS[kind], ...override } : DEFAULT_MODELS[kind];
}

/** The leg a parcel travels: to the customer (`ship`), node → pickup store (`transfer`), or none (`collect`). */
export type ParcelLeg = 'ship' | 'express' | 'transfer' | 'collect';

/** A parcel's cost split into what every parcel pays and what each gram adds (before rounding). */
export interface ParcelRate {
  fixedMinor: number;
  perGramMinor: number;
}

/** The fixed and per-gram parts of a parcel's cost for a node, a distance and a leg. */
export function parcelRate(
  model: Readonly<ShippingCostModel>,
  distanceKm: number,
  leg: ParcelLeg,
): ParcelRate {
  if (leg === 'collect') return { fixedMinor: model.handlingMinor, perGramMinor: 0 };
  const hundredsOfKm = distanceKm / 100;
  const surcharge = leg === 'express' ? model.expressSurchargeMinor : 0;
  return {
    fixedMinor: model.handlingMinor + model.parcelBaseMinor + surcharge + model.per100KmMinor * hundredsOfKm,
    perGramMinor: (model.perKgMinor + model.perKgPer100KmMinor * hundredsOfKm) / 1000,
  };
}

/** The cost of one parcel of `weightGrams`, rounded once to whole minor units. */
export const parcelCostMinor = (rate: ParcelRate, weightGrams: number): number =>
  Math.round(rate.fixedMinor + rate.perGramMinor * weightGrams);
