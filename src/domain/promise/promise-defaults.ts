/** Node kinds, as in the network API (`NodeDoc.type`). */
export const NODE_KINDS = ['warehouse', 'store', 'dropship'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** How the customer receives the goods. */
export const DELIVERY_METHODS = ['ship', 'pickup'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** Carrier service level for shipped parcels. */
export const DELIVERY_SPEEDS = ['standard', 'express'] as const;
export type DeliverySpeed = (typeof DELIVERY_SPEEDS)[number];

/** Working days between taking an order (before cut-off) and handing the parcel over, by node kind. */
export const DEFAULT_PROCESSING_DAYS: Readonly<Record<NodeKind, number>> = {
  warehouse: 1,
  store: 0,
  dropship: 3,
};

/** Hour of the day (UTC) from which an order counts as taken the next day, by node kind. */
export const DEFAULT_CUTOFF_HOUR_UTC: Readonly<Record<NodeKind, number>> = {
  warehouse: 14,
  store: 16,
  dropship: 12,
};

/** Whether the node works on Saturdays and Sundays: stores are open, warehouses and vendors are not. */
export const WORKS_WEEKENDS: Readonly<Record<NodeKind, boolean>> = {
  warehouse: false,
  store: true,
  dropship: false,
};

/** Standard carrier transit in business days, by great-circle distance band (upper bound inclusive). */
export const TRANSIT_BANDS: readonly { readonly maxKm: number; readonly days: number }[] = [
  { maxKm: 50, days: 1 },
  { maxKm: 300, days: 2 },
  { maxKm: 800, days: 3 },
];

/** Standard transit beyond the last band. */
export const TRANSIT_DAYS_BEYOND_BANDS = 5;
