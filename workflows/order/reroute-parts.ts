import { hasLeftNode } from '../../src/domain/order-progress';
import type { LineUnits } from '../../src/domain/sourcing/sourcing-result';
import { activities, local } from '../order-activity-proxies';
import type { OrderRun } from './order-run';
import type { PartRecord } from './run-state';
import { releasePartCapacity, reservationOf, sourceUnits, undoParts } from './source-units';
import { startFulfillments } from './start-fulfillments';
import { mergeChildView } from './take-units-back';

/** The patch that re-sources parcels still at their node after an address change, when another node does better. */
export const ADDRESS_REROUTE_PATCH = 'order-v2-address-reroute';

/** Parcels that can still be moved: not settled, not left their node, not handed to a store or carrier. */
function movableParts(run: OrderRun): PartRecord[] {
  return run.state.parts.filter((p) => {
    if (p.settled || p.method !== 'ship') return false;
    const view = run.fulfillment(p.fulfillmentId);
    return !view || (!hasLeftNode(view) && view.status === 'created');
  });
}

/** Stops a parcel at its node (its child cancelled, its stock and capacity given back); false when it left meanwhile. */
async function withdrawPart(
  run: OrderRun,
  part: PartRecord,
  reason: string,
  actor: string,
): Promise<boolean> {
  if (part.started) {
    const answer = await activities.cancelFulfillmentLines({
      fulfillmentId: part.fulfillmentId,
      request: { actor, reason },
    });
    if (answer.outcome === 'refused') return false;
    mergeChildView(run, answer.view);
  }
  await local.releaseOrderAtNode(reservationOf(run, part));
  part.settled = true;
  const view = run.fulfillment(part.fulfillmentId);
  if (view) view.status = 'cancelled';
  else run.state.parts = run.state.parts.filter((p) => p !== part);
  await releasePartCapacity(run, part);
  return true;
}

/**
 * Moves one parcel when its node now promises later than the engine's plan for the same units from one
 * other node, all of them now (the plan is reserved before the parcel is stopped, so the units are never
 * uncovered); answers the timeline detail when it moved.
 */
async function reroutePart(run: OrderRun, part: PartRecord, actor: string): Promise<string | undefined> {
  const quote = await local.quoteNodePromise({
    nodeId: part.nodeId,
    delivery: run.order.delivery,
    now: run.nowIso(),
  });
  if (!quote) return undefined;
  const units: LineUnits[] = part.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
  const plan = await local.planSourcing({
    lines: units,
    delivery: run.order.delivery,
    ...(run.order.shipComplete === true ? { shipComplete: true } : {}),
    channel: run.order.channel,
    now: run.nowIso(),
  });
  // One parcel for one parcel, from another node, promised sooner: a move never splits a parcel.
  const better = (promised: string | undefined, nodes: readonly string[]): boolean =>
    promised !== undefined &&
    promised < quote.promisedDate &&
    nodes.length === 1 &&
    !nodes.includes(part.nodeId);
  const servesAll = plan.backorders.length === 0 && plan.unfillable.length === 0;
  if (
    !servesAll ||
    !better(
      plan.totals.promisedDate,
      plan.allocations.map((a) => a.nodeId),
    )
  )
    return undefined;

  const sourced = await sourceUnits(run, units, run.order.shipComplete === true);
  const complete = sourced.backorders.length === 0 && sourced.unfillable.length === 0;
  const nodes = sourced.parts.map((p) => p.nodeId);
  if (!complete || sourced.parts.length === 0 || !better(sourced.plan.totals.promisedDate, nodes)) {
    await undoParts(run, sourced.parts);
    return undefined;
  }
  if (!(await withdrawPart(run, part, 'sent from a node nearer the new address', actor))) {
    await undoParts(run, sourced.parts);
    return undefined;
  }
  const to = sourced.parts.map((p) => `${p.fulfillmentId} at ${p.nodeId}`).join(', ');
  return (
    `${part.fulfillmentId} at ${part.nodeId} (by ${quote.promisedDate}) replaced by ${to} ` +
    `(by ${sourced.plan.totals.promisedDate})`
  );
}

/**
 * After the destination or the speed changed: every parcel still at its node is checked against the
 * engine's best plan for its units, and moved where the customer gets it sooner. Money does not move
 * (the same units at the same prices stay due); the new parcels start at once when the order runs.
 */
export async function rerouteOpenParts(run: OrderRun, actor: string): Promise<void> {
  let moved = false;
  for (const part of movableParts(run)) {
    const detail = await reroutePart(run, part, actor);
    if (!detail) continue;
    run.record('rerouted', detail, actor);
    moved = true;
  }
  if (moved && run.state.phase === 'running') await startFulfillments(run);
}
