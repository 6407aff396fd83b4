import { orderTotalMinor } from './money';
import type { OrderRequest } from './order-request';
import type { FulfillmentStatus, FulfillmentView, LineStatus, OrderStatus, OrderView } from './order-view';

/** Reservation key of one line at one node: the same on every retry and replay. */
export const reservationKey = (orderId: string, lineId: string, nodeId: string): string =>
  `${orderId}:${lineId}:${nodeId}`;

/** Payment idempotency keys, derived from the business identifiers only. */
export const authorizationKey = (orderId: string): string => `auth:${orderId}`;
export const captureKey = (orderId: string, fulfillmentId: string): string =>
  `capture:${orderId}:${fulfillmentId}`;

/** The n-th fulfilment of an order. */
export const fulfillmentIdFor = (orderId: string, n: number): string => `${orderId}-F${n}`;

/** A new order view as the workflow first sees it: status `received`, one timeline entry. */
export function createOrderView(order: OrderRequest, at: string, actor?: string): OrderView {
  return {
    orderId: order.orderId,
    status: 'received',
    channel: order.channel,
    customer: { ...order.customer },
    currency: order.currency,
    totalMinor: orderTotalMinor(order.lines),
    delivery: order.delivery,
    lines: order.lines.map((line) => ({ ...line, status: 'open' as const })),
    fulfillments: [],
    payment: { status: 'pending', authorizedMinor: 0, capturedMinor: 0, refundedMinor: 0 },
    returns: [],
    timeline: [{ at, type: 'received', ...(actor ? { actor } : {}) }],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** Appends a timeline entry and bumps the version (mutates the view: it is the workflow's state). */
export function recordEvent(
  view: OrderView,
  at: string,
  type: string,
  detail?: string,
  actor?: string,
): void {
  view.timeline.push({ at, type, ...(detail !== undefined ? { detail } : {}), ...(actor ? { actor } : {}) });
  view.updatedAt = at;
  view.version += 1;
}

/** Moves the order to a new status, with a timeline entry named after it. */
export function changeStatus(
  view: OrderView,
  status: OrderStatus,
  at: string,
  detail?: string,
  actor?: string,
): void {
  view.status = status;
  recordEvent(view, at, status, detail, actor);
}

/** Sets the status of the given lines (all lines when none are named). */
export function setLineStatus(view: OrderView, status: LineStatus, lineIds?: readonly string[]): void {
  for (const line of view.lines) {
    if (!lineIds || lineIds.includes(line.lineId)) line.status = status;
  }
}

/** The fulfilment with this id, if the order has it. */
export const findFulfillment = (view: OrderView, fulfillmentId: string): FulfillmentView | undefined =>
  view.fulfillments.find((f) => f.fulfillmentId === fulfillmentId);

const SHIPPED_OR_LATER: readonly FulfillmentStatus[] = ['shipped', 'in_transit', 'delivered', 'exception'];

/** True once the parcel has left the node (whatever the carrier reported since). */
export const hasShipped = (fulfillment: FulfillmentView): boolean =>
  SHIPPED_OR_LATER.includes(fulfillment.status);

/** What the order's parts say its status is: `partially_shipped` until every fulfilment has left, `delivered` once all arrived. */
export function statusFromFulfillments(
  view: OrderView,
): Extract<OrderStatus, 'confirmed' | 'partially_shipped' | 'shipped' | 'delivered'> {
  const parts = view.fulfillments;
  if (parts.length > 0 && parts.every((f) => f.status === 'delivered')) return 'delivered';
  const shipped = parts.filter(hasShipped).length;
  if (shipped === 0) return 'confirmed';
  return shipped === parts.length ? 'shipped' : 'partially_shipped';
}

/**
 * Line statuses from the fulfilments that carry them: a line split over two parcels is `shipped` once
 * both have left and `delivered` once both have arrived. Lines in no fulfilment keep their status.
 */
export function updateLineStatuses(view: OrderView): void {
  for (const line of view.lines) {
    const parts = view.fulfillments.filter((f) => f.lines.some((l) => l.lineId === line.lineId));
    if (parts.length === 0) continue;
    if (parts.every((f) => f.status === 'delivered')) line.status = 'delivered';
    else if (parts.every(hasShipped)) line.status = 'shipped';
  }
}

/** The money a fulfilment stands for: its units at their lines' unit prices (what its delivery captures). */
export function fulfillmentAmountMinor(view: OrderView, fulfillment: FulfillmentView): number {
  return fulfillment.lines.reduce((sum, part) => {
    const line = view.lines.find((l) => l.lineId === part.lineId);
    return sum + (line?.unitPriceMinor ?? 0) * part.quantity;
  }, 0);
}
