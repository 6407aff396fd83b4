import { fulfillmentIdFor } from '../../src/domain/order-state';
import { activities, local } from '../order-activity-proxies';
import type { OrderRun } from './order-run';
import type { PartRecord } from './run-state';
import { mergeChildView } from './take-units-back';

/** The patch that grows a parcel still at its node by more units of its line instead of adding a second one there. */
export const GROW_PARCEL_PATCH = 'order-v2-grow-parcel';

const holdsLine = (part: PartRecord, lineId: string): boolean =>
  !part.settled && part.lines.some((l) => l.lineId === lineId);

/** The line's parcel not started yet (it can simply grow), if there is one. */
export const unstartedParcelOf = (run: OrderRun, lineId: string): PartRecord | undefined =>
  run.state.parts.find((p) => holdsLine(p, lineId) && !p.started);

/** The line's started parcel still waiting at its node (its child may still be stopped). */
const waitingParcelOf = (run: OrderRun, lineId: string): PartRecord | undefined =>
  run.state.parts.find(
    (p) => holdsLine(p, lineId) && p.started && run.fulfillment(p.fulfillmentId)?.status === 'created',
  );

/** True when the engine sees `extra` more units of the SKU available at the node now. */
async function nodeHasMore(run: OrderRun, part: PartRecord, lineId: string, sku: string, extra: number) {
  const plan = await local.planSourcing({
    lines: [{ lineId, sku, quantity: extra }],
    delivery: run.order.delivery,
    channel: run.order.channel,
    now: run.nowIso(),
  });
  return plan.decision.candidates.some((c) => c.nodeId === part.nodeId && c.units >= extra);
}

/**
 * Before more units of a line are reserved: when the line's parcel has started but not left and its node
 * has the extra units, the parcel is replaced by one not started yet with the same units under the same
 * reservations and node capacity (its child stopped), so the extra units join it instead of leaving as a
 * second parcel from the same node. Nothing changes when the parcel left meanwhile or the node lacks them.
 */
export async function reopenWaitingParcel(
  run: OrderRun,
  lineId: string,
  extra: number,
  actor: string,
): Promise<void> {
  const line = run.line(lineId);
  if (!line || unstartedParcelOf(run, lineId)) return;
  const part = waitingParcelOf(run, lineId);
  if (!part || !(await nodeHasMore(run, part, lineId, line.sku, extra))) return;
  const stopped = await activities.cancelFulfillmentLines({
    fulfillmentId: part.fulfillmentId,
    request: { actor, reason: `replaced by one parcel with ${extra} more × ${line.sku}` },
  });
  if (stopped.outcome === 'refused') return;
  mergeChildView(run, stopped.view);
  part.settled = true;
  const replacement: PartRecord = {
    fulfillmentId: fulfillmentIdFor(run.orderId, run.state.nextFulfillment++),
    nodeId: part.nodeId,
    method: part.method,
    lines: part.lines.map((l) => ({ ...l })),
    ...(part.capacity ? { capacity: part.capacity } : {}),
    started: false,
    paid: false,
    settled: false,
  };
  run.state.parts.push(replacement);
  run.record(
    'parcel_replaced',
    `${part.fulfillmentId} at ${part.nodeId} replaced by ${replacement.fulfillmentId} to take ${extra} more × ${line.sku}`,
    actor,
  );
}
