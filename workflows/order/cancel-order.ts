import type { OrderRun } from './order-run';
import { closeOrder } from './close-order';
import { voidExcess } from './payment-steps';
import { takeUnitsBack, unitsNotLeft } from './take-units-back';

/** Units of one line. */
export interface LineQuantity {
  lineId: string;
  quantity: number;
}

/** "2 × SKU-A, 1 × SKU-B" for the timeline and the customer. */
export const describeUnits = (run: OrderRun, units: readonly LineQuantity[]): string =>
  units.map((u) => `${u.quantity} × ${run.line(u.lineId)?.sku ?? u.lineId}`).join(', ');

/**
 * Cancels units before they leave: taken back from backorders and fulfilments (children stopped,
 * reservations released) unless they are in none (`placed: false`: units a rejecting node did not have and
 * nobody else has), what they were worth voided; when no line is left the order closes as cancelled, else
 * the customer is told which items were cancelled.
 */
export async function cancelUnits(
  run: OrderRun,
  units: readonly LineQuantity[],
  reason: string,
  actor: string,
  placed = true,
): Promise<void> {
  const taken = units.filter((u) => u.quantity > 0);
  for (const unit of taken) {
    if (placed) await takeUnitsBack(run, unit.lineId, unit.quantity, reason, actor);
    const line = run.line(unit.lineId);
    if (line) line.cancelledQuantity = (line.cancelledQuantity ?? 0) + unit.quantity;
  }
  await voidExcess(run, reason);
  run.refreshStatus();
  if (run.view.lines.every((line) => line.status === 'cancelled')) {
    await closeOrder(run, 'cancelled', reason, actor);
    return;
  }
  if (taken.length === 0) return;
  const items = describeUnits(run, taken);
  run.record('lines_cancelled', `${items}: ${reason}`, actor);
  await run.notify('partially_cancelled', { items, reason }, `cancel:${++run.state.counters.change}`);
  run.refreshStatus();
}

/** Every unit that has not left yet, per line (all of the order when nothing has shipped). */
export const unitsStillHere = (run: OrderRun, lineIds?: readonly string[]): LineQuantity[] =>
  run.view.lines
    .filter((line) => !lineIds || lineIds.includes(line.lineId))
    .map((line) => ({ lineId: line.lineId, quantity: unitsNotLeft(run, line.lineId) }));
