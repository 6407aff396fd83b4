import type { FulfillmentStatus, FulfillmentView } from '../../src/domain/order-view';
import { hasLeftNode } from '../../src/domain/order-progress';
import { local } from '../order-activity-proxies';
import { describePlan } from '../sourcing-summary';
import { addBackorders, announceBackorders } from './backorders';
import { cancelUnits } from './cancel-order';
import { SYSTEM, type OrderRun } from './order-run';
import { captureShare, valueOf, voidExcess } from './payment-steps';
import type { PartRecord } from './run-state';
import { releasePartCapacity, reservationOf, sourceUnits } from './source-units';
import { startFulfillments } from './start-fulfillments';
import { mergeChildView } from './take-units-back';

/** Who reports a status: node staff at the node, the carrier on the road. */
const reporterOf = (status: FulfillmentStatus): string =>
  ['in_transit', 'delivered', 'exception'].includes(status) ? 'carrier' : 'node';

/** Units of a part that will not reach the customer any more. */
function dropUnits(run: OrderRun, part: PartRecord): void {
  for (const unit of part.lines) {
    const line = run.line(unit.lineId);
    if (line) line.cancelledQuantity = (line.cancelledQuantity ?? 0) + unit.quantity;
  }
}

/**
 * Sources a part's units again elsewhere (a node rejected them, or a lost parcel is sent again): new
 * fulfilments for what can leave now, backorders for what inbound covers, the rest cancelled. Units of a
 * parcel already paid for keep their payment (`prepaid`).
 */
export async function sourceAgain(
  run: OrderRun,
  part: PartRecord,
  why: string,
  prepaid: boolean,
): Promise<PartRecord[]> {
  const units = part.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
  const sourced = await sourceUnits(run, units, false);
  run.record('sourced', `${why}: ${describePlan(sourced.plan)}`);
  for (const placed of sourced.parts) placed.paid = prepaid;
  await addBackorders(run, sourced.backorders);
  await announceBackorders(run, sourced.backorders);
  if (run.state.phase === 'running') await startFulfillments(run);
  if (sourced.unfillable.length > 0) {
    await cancelUnits(run, sourced.unfillable, `out of stock after ${why}`, SYSTEM, false);
  }
  return sourced.parts;
}

/** What happens when a child reaches a status: capture, notify, release, re-source. */
async function reactTo(run: OrderRun, part: PartRecord, view: FulfillmentView): Promise<void> {
  const { fulfillmentId } = part;
  const tracking = view.trackingNumber ?? '';
  if (hasLeftNode(view) && !part.paid) await captureShare(run, part);
  switch (view.status) {
    case 'shipped':
      run.record(
        'fulfillment_shipped',
        `${fulfillmentId} with ${view.carrier ?? 'carrier'} ${tracking}`,
        'node',
      );
      await run.notify(
        'shipped',
        { carrier: view.carrier ?? 'carrier', trackingNumber: tracking },
        fulfillmentId,
      );
      break;
    case 'in_transit':
      run.record('in_transit', `${fulfillmentId} ${tracking}`, 'carrier');
      break;
    case 'delivered':
      part.settled = true;
      run.record('fulfillment_delivered', `${fulfillmentId} ${tracking}`, 'carrier');
      await run.notify('delivered', { trackingNumber: tracking }, fulfillmentId);
      break;
    case 'exception':
      run.record(
        'carrier_exception',
        `${fulfillmentId} ${tracking}: ${view.reason ?? 'exception'}`,
        'carrier',
      );
      await run.notify(
        'carrier_exception',
        {
          trackingNumber: tracking,
          ...(view.carrier ? { carrier: view.carrier } : {}),
          exception: view.reason ?? '',
        },
        fulfillmentId,
      );
      break;
    case 'ready_for_pickup':
      run.record(
        'fulfillment_ready_for_pickup',
        `${fulfillmentId} at ${part.nodeId} until ${view.pickupBy ?? ''}`,
        'node',
      );
      await run.notify(
        'ready_for_pickup',
        { storeName: part.nodeId, pickupBy: view.pickupBy ?? run.nowIso() },
        fulfillmentId,
      );
      break;
    case 'picked_up':
      part.settled = true;
      run.record('fulfillment_picked_up', `${fulfillmentId} at ${part.nodeId}`, 'node');
      await run.notify('picked_up', { storeName: part.nodeId }, fulfillmentId);
      break;
    case 'not_collected': {
      part.settled = true;
      const value = valueOf(run, part.lines);
      await local.releaseReservedLines(reservationOf(run, part));
      dropUnits(run, part);
      run.record(
        'fulfillment_not_collected',
        `${fulfillmentId} at ${part.nodeId}: ${view.reason ?? ''}`,
        'node',
      );
      await voidExcess(run, `${fulfillmentId} not collected`);
      await run.notify(
        'not_collected',
        { storeName: part.nodeId, refundMinor: value, currency: run.order.currency },
        fulfillmentId,
      );
      break;
    }
    case 'rejected':
      part.settled = true;
      await local.writeOffMissingStock({
        orderId: run.orderId,
        nodeId: part.nodeId,
        lines: reservationOf(run, part).lines,
        reason: view.reason ?? 'not found on the shelf',
      });
      await releasePartCapacity(run, part);
      run.record('fulfillment_rejected', `${fulfillmentId} at ${part.nodeId}: ${view.reason ?? ''}`, 'node');
      await sourceAgain(run, part, `${fulfillmentId} rejected by ${part.nodeId}`, false);
      break;
    case 'cancelled':
      // The order asked for it (cancellation or a lower quantity): its reservation is already released.
      part.settled = true;
      break;
    case 'created':
      break;
  }
}

/** Applies one view a child reported: merged into the order, then the order reacts to its new status. */
export async function applyChildReport(run: OrderRun, reported: FulfillmentView): Promise<void> {
  const part = run.part(reported.fulfillmentId);
  const current = run.fulfillment(reported.fulfillmentId);
  if (!part || !current) {
    run.record('fulfillment_report_ignored', `${reported.fulfillmentId} is not a fulfilment of this order`);
    return;
  }
  const before = current.status;
  mergeChildView(run, reported);
  if (reported.status !== before && !part.settled) await reactTo(run, part, current);
  run.refreshStatus(undefined, reporterOf(current.status));
}
