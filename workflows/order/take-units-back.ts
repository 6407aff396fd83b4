import type { FulfillmentView } from '../../src/domain/order-view';
import { hasLeftNode } from '../../src/domain/order-progress';
import { activities, local } from '../order-activity-proxies';
import type { OrderRun } from './order-run';
import { notAllowed } from './rejections';
import type { PartRecord } from './run-state';
import { releasePartCapacity } from './source-units';
import { stopWaitingFor } from './stock-waiting';

/** Units of a line that have not left a node yet: backordered, or in a fulfilment still at its node. */
export function unitsNotLeft(run: OrderRun, lineId: string): number {
  const waiting = (run.view.backorders ?? [])
    .filter((b) => b.lineId === lineId)
    .reduce((t, b) => t + b.quantity, 0);
  const atNodes = openParts(run)
    .flatMap((p) => p.lines)
    .filter((l) => l.lineId === lineId)
    .reduce((t, l) => t + l.quantity, 0);
  return waiting + atNodes;
}

/** Fulfilments whose units can still be taken back: not settled and not left their node. */
function openParts(run: OrderRun): PartRecord[] {
  return run.state.parts.filter((p) => {
    if (p.settled) return false;
    const view = run.fulfillment(p.fulfillmentId);
    return !view || (!hasLeftNode(view) && ['created', 'ready_for_pickup'].includes(view.status));
  });
}

/** A part's reservation of one line now holds `quantity` units (0 releases it). */
async function adjustReservation(
  run: OrderRun,
  part: PartRecord,
  lineId: string,
  quantity: number,
): Promise<void> {
  const line = part.lines.find((l) => l.lineId === lineId);
  if (!line) return;
  await local.adjustReservedLine({
    orderId: run.orderId,
    nodeId: part.nodeId,
    line: { key: line.reservationKey, sku: line.sku, quantity },
  });
  line.quantity = quantity;
  part.lines = part.lines.filter((l) => l.quantity > 0);
}

/** Merges what a child answered into the view. */
export function mergeChildView(run: OrderRun, reported: FulfillmentView): void {
  const current = run.fulfillment(reported.fulfillmentId);
  if (current) Object.assign(current, reported, current.resolution ? { resolution: current.resolution } : {});
}

/** A part with no units left: settled, its node's capacity given back unless still used. */
async function dropEmptyPart(run: OrderRun, part: PartRecord): Promise<void> {
  if (part.lines.length > 0) return;
  part.settled = true;
  const view = run.fulfillment(part.fulfillmentId);
  if (view) view.status = 'cancelled';
  await releasePartCapacity(run, part);
}

/**
 * Takes `quantity` units of a line back before they leave: backorders first, then fulfilments still at
 * their node, newest first (a running child is asked through its Update and may refuse: the parcel left
 * meanwhile → NotAllowedInState). Reservations shrink or are released; the money is the caller's concern.
 */
export async function takeUnitsBack(
  run: OrderRun,
  lineId: string,
  quantity: number,
  reason: string,
  actor: string,
): Promise<void> {
  let left = quantity;
  for (const backorder of (run.view.backorders ?? []).filter((b) => b.lineId === lineId).reverse()) {
    const take = Math.min(left, backorder.quantity);
    backorder.quantity -= take;
    left -= take;
  }
  if (run.view.backorders) run.view.backorders = run.view.backorders.filter((b) => b.quantity > 0);
  for (const part of openParts(run).reverse()) {
    if (left === 0) break;
    const line = part.lines.find((l) => l.lineId === lineId);
    if (!line) continue;
    const take = Math.min(left, line.quantity);
    if (part.started) {
      const answer = await activities.cancelFulfillmentLines({
        fulfillmentId: part.fulfillmentId,
        request: { actor, reason, lines: [{ lineId, quantity: take }] },
      });
      if (answer.outcome === 'refused') {
        throw notAllowed(`${part.fulfillmentId} can no longer be changed: ${answer.reason}`);
      }
      mergeChildView(run, answer.view);
    }
    await adjustReservation(run, part, lineId, line.quantity - take);
    left -= take;
    await dropEmptyPart(run, part);
  }
  await stopWaitingFor(run);
  if (left > 0) throw notAllowed(`${left} unit(s) of line ${lineId} have already left their node.`);
}
