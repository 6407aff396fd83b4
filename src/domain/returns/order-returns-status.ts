import type { OrderStatus, OrderView } from '../order-view';
import { deliveredUnits, returnedUnits, returnsOf, type DeliveredAt } from './returnable-units';

/**
 * The order's status once units came back: `returned` when every unit that reached the customer is back,
 * `partially_returned` when some are, undefined when none (the parts decide then).
 */
export function returnedOrderStatus(
  view: Pick<OrderView, 'lines' | 'fulfillments' | 'returns'>,
): Extract<OrderStatus, 'partially_returned' | 'returned'> | undefined {
  const returns = returnsOf(view);
  const back = view.lines.map((line) => returnedUnits(returns, line.lineId));
  if (back.every((units) => units === 0)) return undefined;
  const arrived = deliveredUnits(view, () => undefined);
  const allBack = view.lines.every((line, i) => {
    const delivered = arrived.filter((d) => d.lineId === line.lineId).reduce((sum, d) => sum + d.quantity, 0);
    return (back[i] ?? 0) >= delivered;
  });
  return allBack ? 'returned' : 'partially_returned';
}

/** Marks as `returned` each line whose delivered units all came back (mutates the view). */
export function markReturnedLines(view: Pick<OrderView, 'lines' | 'fulfillments' | 'returns'>): void {
  const returns = returnsOf(view);
  const arrived = deliveredUnits(view, (() => undefined) as DeliveredAt);
  for (const line of view.lines) {
    const delivered = arrived.filter((d) => d.lineId === line.lineId).reduce((sum, d) => sum + d.quantity, 0);
    if (delivered > 0 && returnedUnits(returns, line.lineId) >= delivered) line.status = 'returned';
  }
}
