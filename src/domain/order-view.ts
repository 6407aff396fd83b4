import type { AppeasementView } from './returns/return-view';
import type { SourcingResult } from './sourcing/sourcing-result';

/** Order status values, exactly as the contract lists them. */
export const ORDER_STATUSES = [
  'received',
  'on_hold',
  'backordered',
  'confirmed',
  'partially_shipped',
  'shipped',
  'ready_for_pickup',
  'delivered',
  'completed',
  'cancelled',
  'partially_returned',
  'returned',
  'payment_failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const LINE_STATUSES = [
  'open',
  'reserved',
  'backordered',
  'shipped',
  'ready_for_pickup',
  'delivered',
  'cancelled',
  'returned',
] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/**
 * A fulfilment's life: `created` at the node, then for parcels `shipped` → `in_transit` → `delivered`
 * (or `exception`, e.g. lost), for click-and-collect `ready_for_pickup` → `picked_up` (or `not_collected`
 * when the pickup window passes); `cancelled` when its lines were cancelled before it left, `rejected`
 * when the node could not find the stock (its units are sourced elsewhere).
 */
export const FULFILLMENT_STATUSES = [
  'created',
  'shipped',
  'in_transit',
  'delivered',
  'exception',
  'ready_for_pickup',
  'picked_up',
  'not_collected',
  'cancelled',
  'rejected',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export const PAYMENT_STATUSES = [
  'pending',
  'review',
  'authorized',
  'declined',
  'partially_captured',
  'captured',
  'voided',
  'partially_refunded',
  'refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One entry of the audit trail: what happened, when, and who did it. */
export interface TimelineEntry {
  at: string;
  type: string;
  detail?: string;
  actor?: string;
}

export interface OrderLineView {
  lineId: string;
  sku: string;
  /** Units the customer wants now (an agent's change included). */
  quantity: number;
  unitPriceMinor: number;
  status: LineStatus;
  /** Units of `quantity` that will not reach the customer: cancelled, out of stock, not collected, refunded after a loss. */
  cancelledQuantity?: number;
  /** While units are backordered: the date promised for them. */
  promisedDate?: string;
}

/**
 * The transfer leg of a click-and-collect part served from another node: `pending` at the source node,
 * `in_transit` once the source shipped it to the pickup store, `arrived` when the carrier delivered it there
 * (or the store made the part ready), `exception` when the carrier reported it lost or damaged on the way.
 */
export const TRANSFER_STATUSES = ['pending', 'in_transit', 'arrived', 'exception'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** Where a transfer goes (the pickup store), how far it is, and the carrier's tracking number once shipped. */
export interface TransferView {
  toNodeId: string;
  status: TransferStatus;
  trackingNumber?: string;
}

export interface FulfillmentView {
  fulfillmentId: string;
  nodeId: string;
  lines: { lineId: string; quantity: number }[];
  status: FulfillmentStatus;
  trackingNumber?: string;
  /** `ship` (a parcel) or `pickup` (click-and-collect at nodeId); absent on fulfilments of v1 orders (ship). */
  method?: 'ship' | 'pickup';
  carrier?: string;
  /** When a pickup parcel stops waiting at the store (ready time + pickup window). */
  pickupBy?: string;
  /** Why the node rejected it or the carrier reported an exception. */
  reason?: string;
  /** Set by the order when an agent resolved its carrier exception: sent again, or refunded. */
  resolution?: 'reship' | 'refund';
  /** A pickup part whose node is not the pickup store: the leg that takes its units to the store. */
  transfer?: TransferView;
}

/** Units of a line waiting for inbound supply. */
export interface BackorderView {
  lineId: string;
  sku: string;
  quantity: number;
  /** Where the supply is expected, and when (absent when no supply is known any more). */
  nodeId?: string;
  expectedAt?: string;
  promisedDate?: string;
  /** When these units started waiting. */
  since: string;
}

export const HOLD_KINDS = ['manual', 'fraud_review'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** Why the order is on hold, since when, and who put it there. */
export interface HoldView {
  kind: HoldKind;
  reason: string;
  since: string;
  actor?: string;
  /** When the hold was escalated to a supervisor (an alert). */
  escalatedAt?: string;
}

export interface PaymentView {
  status: PaymentStatus;
  authorizedMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  /** Authorised money given back before capture (absent on v1 orders). */
  voidedMinor?: number;
}

/** The sourcing engine's plan as the order adopted it: allocations with promised dates and the decision record. */
export type OrderSourcing = SourcingResult & {
  /** Workflow time of the plan (the snapshot it was computed on). */
  decidedAt: string;
  /** 1 unless racing orders took the stock or capacity of an earlier plan. */
  attempt: number;
};

/** The live order as GET /v1/orders/{orderId} shows it. */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  channel: string;
  customer: { id: string; email: string; name?: string };
  currency: string;
  totalMinor: number;
  delivery: unknown;
  lines: OrderLineView[];
  fulfillments: FulfillmentView[];
  payment: PaymentView;
  returns: unknown[];
  timeline: TimelineEntry[];
  createdAt: string;
  updatedAt: string;
  /** Monotonic change counter, so the read model never goes backwards. */
  version: number;
  /** Where the order is served from and why; absent on views written before sourcing was recorded. */
  sourcing?: OrderSourcing;
  /** Units waiting for inbound supply (v2 orders). */
  backorders?: BackorderView[];
  /** Present while the order is on hold (v2 orders). */
  hold?: HoldView;
  /** Goodwill credits agents granted (orders with the returns plug-in). */
  appeasements?: AppeasementView[];
}
