import type { TimelineEntry } from '../order-view';

/** How the customer sends the units back: to a store (BORIS), by mail, or at a return point/locker. */
export const RETURN_METHODS = ['store', 'mail', 'locker'] as const;
export type ReturnMethod = (typeof RETURN_METHODS)[number];

/**
 * An RMA's life: `awaiting_return` (a label was issued, or the customer is expected at a store), `in_transit`
 * (the carrier has the parcel), `received` (inspected, refund and exchange being settled), then `completed`;
 * `expired` when nothing arrived within the limit.
 */
export const RETURN_STATUSES = ['awaiting_return', 'in_transit', 'received', 'completed', 'expired'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Statuses of an RMA whose units are still on their way back (or being settled). */
export const OPEN_RETURN_STATUSES: readonly ReturnStatus[] = ['awaiting_return', 'in_transit', 'received'];
export const isOpenReturn = (status: ReturnStatus): boolean => OPEN_RETURN_STATUSES.includes(status);

/** What inspection found: back on sale, or not sellable (kept apart, never available). */
export const UNIT_CONDITIONS = ['sellable', 'damaged'] as const;
export type UnitCondition = (typeof UNIT_CONDITIONS)[number];

/** One returned line of an RMA, with what came back of it. */
export interface ReturnLineView {
  lineId: string;
  sku: string;
  quantity: number;
  reason: string;
  unitPriceMinor: number;
  /** Units received in each condition (absent until the receipt). */
  received?: { sellable: number; damaged: number };
}

/** The return label of a mail or locker return, and the node the parcel goes to. */
export interface ReturnLabelView {
  carrier: string;
  trackingNumber: string;
  labelUrl: string;
  nodeId: string;
}

/** One inspected receipt line. */
export interface ReceiptLine {
  lineId: string;
  quantity: number;
  condition: UnitCondition;
}

export interface ReturnReceiptView {
  nodeId: string;
  at: string;
  actor: string;
  lines: ReceiptLine[];
}

/** Where sellable returned units should go: stay at the receiving node, or move to where the SKU sells most. */
export interface DispositionView {
  sku: string;
  nodeId: string;
  quantity: number;
  action: 'keep' | 'transfer';
  toNodeId?: string;
  reason: string;
}

/** One money movement of the RMA, as the provider confirmed it. */
export interface ReturnPaymentView {
  kind: 'refund' | 'charge';
  idempotencyKey: string;
  authorizationId: string;
  amountMinor: number;
  /** The fulfilment whose captured share a refund gives back. */
  fulfillmentId?: string;
  reason: string;
  at: string;
}

export const EXCHANGE_STATUSES = [
  'reserved',
  'shipping',
  'shipped',
  'delivered',
  'cancelled',
  'unavailable',
  'payment_declined',
] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

/** One replacement unit set: another SKU of the returned line's product family. */
export interface ExchangeLineView {
  /** The returned line it replaces. */
  lineId: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

/** The replacement of an exchange: reserved at creation, shipped on receipt (or at once for VIP). */
export interface ExchangeView {
  status: ExchangeStatus;
  lines: ExchangeLineView[];
  /** Replacement value minus returned value: charged when positive, refunded when negative. */
  differenceMinor: number;
  nodeId?: string;
  fulfillmentId?: string;
  trackingNumber?: string;
  reason?: string;
}

/** The money side of an RMA. */
export interface ReturnRefundView {
  /** Refunded at creation because the customer is trusted (reversed if the parcel never arrives). */
  instant: boolean;
  /** Deducted from a mail or locker refund (none when the reason is the retailer's fault). */
  feeMinor: number;
  refundedMinor: number;
  chargedMinor: number;
  /** Money the policy owed but the provider refused to move (an agent looks at it). */
  failedMinor: number;
}

/** The RMA as `GET /v1/returns/{rmaId}` and the order's `returns` show it. */
export interface ReturnView {
  rmaId: string;
  orderId: string;
  customerId: string;
  currency: string;
  status: ReturnStatus;
  method: ReturnMethod;
  lines: ReturnLineView[];
  /** Who asked for it (an API key's `role:label`). */
  actor: string;
  createdAt: string;
  updatedAt: string;
  /** When it expires if nothing has arrived. */
  expiresAt: string;
  label?: ReturnLabelView;
  receipt?: ReturnReceiptView;
  dispositions: DispositionView[];
  refund: ReturnRefundView;
  payments: ReturnPaymentView[];
  exchange?: ExchangeView;
  timeline: TimelineEntry[];
  /** Monotonic change counter, so the read model never goes backwards. */
  version: number;
}

/** A goodwill credit an agent granted on the order (or one of its lines). */
export interface AppeasementView {
  appeasementId: string;
  lineId?: string;
  amountMinor: number;
  reasonCode: string;
  actor: string;
  role: string;
  at: string;
  refundedMinor: number;
}
