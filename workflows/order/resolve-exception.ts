import { activities } from '../order-activity-proxies';
import type { ResolveExceptionRequest } from '../order.messages';
import { sourceUnits, undoParts } from './source-units';
import type { OrderRun } from './order-run';
import { refundAmount, valueOf } from './payment-steps';
import { insufficientStock, notAllowed } from './rejections';
import { startFulfillments } from './start-fulfillments';
import { describePlan } from '../sourcing-summary';

/**
 * An agent decides about a parcel the carrier reported lost or damaged: `reship` sends the same units
 * again as a new fulfilment from a fresh plan (already paid: nothing is captured again), `refund` gives
 * that fulfilment's share back. The child is closed either way.
 */
export async function resolveException(run: OrderRun, request: ResolveExceptionRequest): Promise<void> {
  const { fulfillmentId, action, actor } = request;
  const part = run.part(fulfillmentId);
  const view = run.fulfillment(fulfillmentId);
  if (!part || !view) throw notAllowed(`Order ${run.orderId} has no fulfilment ${fulfillmentId}.`);
  let placed: typeof run.state.parts = [];
  if (action === 'reship') {
    const units = part.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
    const sourced = await sourceUnits(run, units, false);
    if (sourced.parts.length === 0 || sourced.backorders.length > 0 || sourced.unfillable.length > 0) {
      await undoParts(run, sourced.parts);
      throw insufficientStock(
        `The units of ${fulfillmentId} cannot all be sent again now; refund them instead.`,
      );
    }
    placed = sourced.parts;
    for (const p of placed) p.paid = true;
    run.record('sourced', `reship of ${fulfillmentId}: ${describePlan(sourced.plan)}`, actor);
  }
  const closed = await activities.closeFulfillment({ fulfillmentId, request: { actor, resolution: action } });
  if (closed.outcome === 'refused') {
    await undoParts(run, placed);
    throw notAllowed(`${fulfillmentId} can no longer be resolved: ${closed.reason}`);
  }
  view.resolution = action;
  part.settled = true;
  run.record('exception_resolved', `${fulfillmentId}: ${action}`, actor);
  if (action === 'reship') {
    if (run.state.phase === 'running') await startFulfillments(run);
  } else {
    for (const unit of part.lines) {
      const line = run.line(unit.lineId);
      if (line) line.cancelledQuantity = (line.cancelledQuantity ?? 0) + unit.quantity;
    }
    await refundAmount(run, valueOf(run, part.lines), `${fulfillmentId} lost by the carrier`, fulfillmentId);
  }
  run.refreshStatus(undefined, actor);
}
