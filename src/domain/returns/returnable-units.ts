import type { OrderView } from '../order-view';
import { returnWindowDays, type ReturnTerms } from './return-policy';
import { RETURN_REJECTIONS, type ReturnRefusal } from './return-rejections';
import type { ReturnView } from './return-view';

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a fulfilment reached the customer (delivered or collected); undefined when not known. */
export type DeliveredAt = (fulfillmentId: string) => string | undefined;

/** Timeline entries that mark a fulfilment's arrival; their detail starts with the fulfilment id. */
const ARRIVAL_ENTRIES = ['fulfillment_delivered', 'fulfillment_picked_up'];

/** Arrival times read from the order's timeline (`fulfillment_delivered <id> …`), the last entry per fulfilment. */
export function deliveredAtFromTimeline(view: Pick<OrderView, 'timeline'>): DeliveredAt {
  return (fulfillmentId) =>
    [...view.timeline]
      .reverse()
      .find(
        (entry) =>
          ARRIVAL_ENTRIES.includes(entry.type) &&
          (entry.detail === fulfillmentId || entry.detail?.startsWith(`${fulfillmentId} `) === true),
      )?.at;
}

/** Units of a line that reached the customer in one fulfilment. */
export interface DeliveredUnits {
  fulfillmentId: string;
  lineId: string;
  quantity: number;
  deliveredAt?: string;
}

/** Every unit that reached the customer, per fulfilment and line. */
export function deliveredUnits(
  view: Pick<OrderView, 'fulfillments'>,
  deliveredAt: DeliveredAt,
): DeliveredUnits[] {
  return view.fulfillments
    .filter((f) => f.status === 'delivered' || f.status === 'picked_up')
    .flatMap((f) => {
      const at = deliveredAt(f.fulfillmentId);
      return f.lines
        .filter((l) => l.quantity > 0)
        .map((l) => ({
          fulfillmentId: f.fulfillmentId,
          lineId: l.lineId,
          quantity: l.quantity,
          ...(at ? { deliveredAt: at } : {}),
        }));
    });
}

/** The order's RMAs (the view keeps them untyped). */
export const returnsOf = (view: Pick<OrderView, 'returns'>): ReturnView[] => view.returns as ReturnView[];

/**
 * Units of a line taken by RMAs: an open RMA without a receipt holds what it asked for; a received one
 * what came back; an expired one nothing (the units may be asked for again while the window lasts).
 */
export function claimedUnits(returns: readonly ReturnView[], lineId: string): number {
  let claimed = 0;
  for (const rma of returns) {
    if (rma.status === 'expired') continue;
    for (const line of rma.lines.filter((l) => l.lineId === lineId)) {
      claimed += line.received ? line.received.sellable + line.received.damaged : line.quantity;
    }
  }
  return claimed;
}

/** Units of a line that came back (received, in any condition). */
export function returnedUnits(returns: readonly ReturnView[], lineId: string): number {
  return returns
    .flatMap((rma) => rma.lines)
    .filter((l) => l.lineId === lineId && l.received)
    .reduce((total, l) => total + (l.received?.sellable ?? 0) + (l.received?.damaged ?? 0), 0);
}

/** When a delivered unit's window closes (ms); Infinity when its arrival time is not known. */
const windowEndMs = (units: DeliveredUnits, days: number): number =>
  units.deliveredAt === undefined ? Infinity : Date.parse(units.deliveredAt) + days * DAY_MS;

export interface ReturnSituation {
  view: Pick<OrderView, 'orderId' | 'lines' | 'fulfillments' | 'returns'>;
  deliveredAt: DeliveredAt;
  nowMs: number;
  /** Without terms the window is not checked (the validator runs before they are loaded). */
  terms?: ReturnTerms;
}

export interface RequestedUnits {
  lineId: string;
  quantity: number;
}

/**
 * Why these units may not be returned, or undefined when they may: each line must exist (else 422), have
 * that many units delivered and not yet returned or under an open RMA, and (with terms) within the window.
 */
export function refuseReturn(
  lines: readonly RequestedUnits[],
  s: ReturnSituation,
): ReturnRefusal | undefined {
  const { orderId } = s.view;
  if (lines.length === 0)
    return { type: RETURN_REJECTIONS.invalidRequest, message: 'Name at least one line.' };
  const delivered = deliveredUnits(s.view, s.deliveredAt);
  const returns = returnsOf(s.view);
  for (const asked of lines) {
    const line = s.view.lines.find((l) => l.lineId === asked.lineId);
    if (!line)
      return {
        type: RETURN_REJECTIONS.invalidRequest,
        message: `Order ${orderId} has no line ${asked.lineId}.`,
      };
    const total = lines.filter((l) => l.lineId === asked.lineId).reduce((sum, l) => sum + l.quantity, 0);
    if (!Number.isInteger(asked.quantity) || asked.quantity < 1 || total > line.quantity) {
      return {
        type: RETURN_REJECTIONS.invalidRequest,
        message: `Line ${asked.lineId} of order ${orderId} has ${line.quantity} units; cannot return ${total}.`,
      };
    }
    const arrived = delivered.filter((d) => d.lineId === asked.lineId);
    const deliveredCount = arrived.reduce((sum, d) => sum + d.quantity, 0);
    const claimed = claimedUnits(returns, asked.lineId);
    if (total > deliveredCount - claimed) {
      const type =
        claimed > 0 && total <= deliveredCount
          ? RETURN_REJECTIONS.alreadyReturned
          : RETURN_REJECTIONS.notDelivered;
      return {
        type,
        message:
          `Line ${asked.lineId} of order ${orderId}: ${deliveredCount} units delivered, ${claimed} already ` +
          `returned or under an open return; cannot return ${total}.`,
      };
    }
    if (!s.terms) continue;
    const days = returnWindowDays(line.sku, s.terms);
    const inWindow = arrived
      .filter((d) => windowEndMs(d, days) >= s.nowMs)
      .reduce((sum, d) => sum + d.quantity, 0);
    if (total > Math.min(inWindow, deliveredCount - claimed)) {
      return {
        type: RETURN_REJECTIONS.windowClosed,
        message: `Line ${asked.lineId} of order ${orderId} (${line.sku}) may be returned within ${days} days of delivery; that window has passed.`,
      };
    }
  }
  return undefined;
}

/**
 * When the last return window of the order's delivered units closes; undefined when nothing was delivered
 * (units whose arrival time is unknown are left out).
 */
export function returnWindowEndsAt(
  view: Pick<OrderView, 'lines' | 'fulfillments'>,
  deliveredAt: DeliveredAt,
  terms: ReturnTerms,
): string | undefined {
  const ends = deliveredUnits(view, deliveredAt)
    .map((units) =>
      windowEndMs(
        units,
        returnWindowDays(view.lines.find((l) => l.lineId === units.lineId)?.sku ?? '', terms),
      ),
    )
    .filter(Number.isFinite);
  return ends.length > 0 ? new Date(Math.max(...ends)).toISOString() : undefined;
}
