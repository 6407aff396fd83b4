import type {
  BackorderView,
  FulfillmentStatus,
  FulfillmentView,
  LineStatus,
  OrderLineView,
  OrderStatus,
  OrderView,
} from './order-view';

/**
 * The order's and its lines' statuses from their parts (fulfilments and backorders), for lifecycle-v2
 * orders. A part is *active* while it still carries units to the customer.
 */

/** Fulfilment statuses whose units no longer travel in that fulfilment (moved elsewhere, or dropped). */
const INACTIVE: readonly FulfillmentStatus[] = ['cancelled', 'rejected', 'not_collected'];

/** True while the fulfilment still carries units to the customer (a resolved carrier exception does not). */
export const isActivePart = (fulfillment: FulfillmentView): boolean =>
  !INACTIVE.includes(fulfillment.status) && fulfillment.resolution === undefined;

/** How far one part has got, as a line status. */
const PART_PROGRESS: Record<FulfillmentStatus, LineStatus> = {
  created: 'reserved',
  ready_for_pickup: 'ready_for_pickup',
  shipped: 'shipped',
  in_transit: 'shipped',
  exception: 'shipped',
  delivered: 'delivered',
  picked_up: 'delivered',
  // Inactive parts never count; listed so the record is total.
  cancelled: 'cancelled',
  rejected: 'cancelled',
  not_collected: 'cancelled',
};

/** Line statuses from least to most advanced: a line is as far as its least advanced part. */
const LINE_PROGRESS: readonly LineStatus[] = [
  'open',
  'backordered',
  'reserved',
  'ready_for_pickup',
  'shipped',
  'delivered',
];

/** True once the parcel has left the node or the customer has collected it. */
export const hasLeftNode = (fulfillment: FulfillmentView): boolean =>
  ['shipped', 'in_transit', 'exception', 'delivered', 'picked_up'].includes(fulfillment.status);

/** True once the units reached the customer. */
export const hasArrived = (fulfillment: FulfillmentView): boolean =>
  fulfillment.status === 'delivered' || fulfillment.status === 'picked_up';

const activeBackorders = (backorders: readonly BackorderView[] | undefined): BackorderView[] =>
  (backorders ?? []).filter((b) => b.quantity > 0);

/** The units of a line in an active part. */
export function unitsInParts(
  lineId: string,
  fulfillments: readonly FulfillmentView[],
  backorders?: readonly BackorderView[],
): number {
  const inFulfillments = fulfillments
    .filter(isActivePart)
    .flatMap((f) => f.lines)
    .filter((l) => l.lineId === lineId)
    .reduce((total, l) => total + l.quantity, 0);
  const waiting = activeBackorders(backorders)
    .filter((b) => b.lineId === lineId)
    .reduce((total, b) => total + b.quantity, 0);
  return inFulfillments + waiting;
}

/** A line's status from its parts: its least advanced part; `cancelled` once no unit is left for the customer. */
export function lineStatusFromParts(
  line: OrderLineView,
  fulfillments: readonly FulfillmentView[],
  backorders?: readonly BackorderView[],
): LineStatus {
  const progress: LineStatus[] = [
    ...fulfillments
      .filter((f) => isActivePart(f) && f.lines.some((l) => l.lineId === line.lineId && l.quantity > 0))
      .map((f) => PART_PROGRESS[f.status]),
    ...activeBackorders(backorders)
      .filter((b) => b.lineId === line.lineId)
      .map((): LineStatus => 'backordered'),
  ];
  if (progress.length === 0) {
    return (line.cancelledQuantity ?? 0) >= line.quantity || line.status === 'cancelled'
      ? 'cancelled'
      : line.status;
  }
  return progress.reduce((least, status) =>
    LINE_PROGRESS.indexOf(status) < LINE_PROGRESS.indexOf(least) ? status : least,
  );
}

/** The statuses an order's parts can give it (holds, payment and closing are the workflow's own). */
export type StatusFromParts = Extract<
  OrderStatus,
  | 'backordered'
  | 'confirmed'
  | 'partially_shipped'
  | 'shipped'
  | 'ready_for_pickup'
  | 'delivered'
  | 'cancelled'
>;

/**
 * The order's status from its parts: `cancelled` when every line is; `backordered` while nothing but
 * backorders is left; `delivered` once every part arrived; `shipped` once every part has left;
 * `partially_shipped` in between (waiting backorders count as not left); `ready_for_pickup` when every
 * part waits at the store; else `confirmed`.
 */
export function orderStatusFromParts(
  view: Pick<OrderView, 'lines' | 'fulfillments' | 'backorders'>,
): StatusFromParts {
  if (view.lines.every((line) => line.status === 'cancelled')) return 'cancelled';
  const active = view.fulfillments.filter(isActivePart);
  const waiting = activeBackorders(view.backorders).length > 0;
  if (active.length === 0) return waiting ? 'backordered' : 'confirmed';
  const left = active.filter(hasLeftNode);
  if (!waiting && active.every(hasArrived)) return 'delivered';
  if (left.length === 0) {
    return !waiting && active.every((f) => f.status === 'ready_for_pickup')
      ? 'ready_for_pickup'
      : 'confirmed';
  }
  return !waiting && left.length === active.length ? 'shipped' : 'partially_shipped';
}

/** Sets every line's status from its parts (mutates the view). */
export function refreshLineStatuses(view: Pick<OrderView, 'lines' | 'fulfillments' | 'backorders'>): void {
  for (const line of view.lines) line.status = lineStatusFromParts(line, view.fulfillments, view.backorders);
}
