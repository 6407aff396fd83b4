import { patched } from '@temporalio/workflow';
import type { FulfillmentStatus, FulfillmentView, TransferStatus } from '../../src/domain/order-view';
import { hasLeftNode } from '../../src/domain/order-progress';
import type { ReportedFulfillmentView } from '../fulfillment.messages';
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

/**
 * Where the customer collects a pickup part: the order's pickup store, which is not the part's node when
 * the units come from elsewhere (a transfer). Runs before this patch named the part's node.
 */
function storeOf(run: OrderRun, part: PartRecord): string {
  const store = run.order.delivery.pickupNodeId;
  if (!store || store === part.nodeId || !patched('order-v2-pickup-store-named')) return part.nodeId;
  return store;
}

/**
 * Nodes whose count of a rejected part's SKUs was proven wrong: this one, and any that rejected a fulfilment
 * of the same SKUs before (a second rejection must not send the units back to the first).
 */
function nodesThatRejected(run: OrderRun, part: PartRecord): string[] {
  const skus = new Set(part.lines.map((l) => l.sku));
  const earlier = run.state.parts
    .filter((p) => run.fulfillment(p.fulfillmentId)?.status === 'rejected')
    .filter((p) => p.lines.some((l) => skus.has(l.sku)))
    .map((p) => p.nodeId);
  return [...new Set([part.nodeId, ...earlier])].sort();
}

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
 * parcel already paid for keep their payment (`prepaid`). The stock of `excludeNodeIds` (a node that just
 * rejected the units) does not count, and the timeline says so.
 */
export async function sourceAgain(
  run: OrderRun,
  part: PartRecord,
  why: string,
  prepaid: boolean,
  excludeNodeIds: readonly string[] = [],
): Promise<PartRecord[]> {
  const units = part.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
  const sourced = await sourceUnits(run, units, false, excludeNodeIds);
  const excluding = excludeNodeIds.length > 0 ? ` (excluding ${excludeNodeIds.join(', ')})` : '';
  run.record('sourced', `${why}${excluding}: ${describePlan(sourced.plan)}`);
  for (const placed of sourced.parts) placed.paid = prepaid;
  await addBackorders(run, sourced.backorders);
  await announceBackorders(run, sourced.backorders);
  if (run.state.phase === 'running') await startFulfillments(run);
  if (sourced.unfillable.length > 0) {
    await cancelUnits(run, sourced.unfillable, `out of stock after ${why}`, SYSTEM, false);
  }
  return sourced.parts;
}

/** What happens when a child reaches a status: capture, notify, release, re-source. `actor` made the change. */
async function reactTo(run: OrderRun, part: PartRecord, view: FulfillmentView, actor: string): Promise<void> {
  const { fulfillmentId } = part;
  const tracking = view.trackingNumber ?? '';
  if (hasLeftNode(view) && !part.paid) await captureShare(run, part);
  switch (view.status) {
    case 'shipped':
      run.record(
        'fulfillment_shipped',
        `${fulfillmentId} with ${view.carrier ?? 'carrier'} ${tracking}`,
        actor,
      );
      await run.notify(
        'shipped',
        { carrier: view.carrier ?? 'carrier', trackingNumber: tracking },
        fulfillmentId,
      );
      break;
    case 'in_transit':
      run.record('in_transit', `${fulfillmentId} ${tracking}`, actor);
      break;
    case 'delivered':
      part.settled = true;
      run.record('fulfillment_delivered', `${fulfillmentId} ${tracking}`, actor);
      await run.notify('delivered', { trackingNumber: tracking }, fulfillmentId);
      break;
    case 'exception':
      run.record('carrier_exception', `${fulfillmentId} ${tracking}: ${view.reason ?? 'exception'}`, actor);
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
    case 'ready_for_pickup': {
      const store = storeOf(run, part);
      run.record(
        'fulfillment_ready_for_pickup',
        `${fulfillmentId} at ${store} until ${view.pickupBy ?? ''}`,
        actor,
      );
      await run.notify(
        'ready_for_pickup',
        { storeName: store, pickupBy: view.pickupBy ?? run.nowIso() },
        fulfillmentId,
      );
      break;
    }
    case 'picked_up': {
      part.settled = true;
      const store = storeOf(run, part);
      run.record('fulfillment_picked_up', `${fulfillmentId} at ${store}`, actor);
      await run.notify('picked_up', { storeName: store }, fulfillmentId);
      break;
    }
    case 'not_collected': {
      part.settled = true;
      const value = valueOf(run, part.lines);
      await local.releaseReservedLines(reservationOf(run, part));
      dropUnits(run, part);
      const store = storeOf(run, part);
      run.record('fulfillment_not_collected', `${fulfillmentId} at ${store}: ${view.reason ?? ''}`, actor);
      await voidExcess(run, `${fulfillmentId} not collected`);
      await run.notify(
        'not_collected',
        { storeName: store, refundMinor: value, currency: run.order.currency },
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
      run.record('fulfillment_rejected', `${fulfillmentId} at ${part.nodeId}: ${view.reason ?? ''}`, actor);
      // The node's count of these SKUs was just proven wrong: its stock may not take the units back.
      await sourceAgain(
        run,
        part,
        `${fulfillmentId} rejected by ${part.nodeId}`,
        false,
        patched('order-v2-reject-excludes-node') ? nodesThatRejected(run, part) : [],
      );
      break;
    case 'cancelled':
      // The order asked for it (cancellation or a lower quantity): its reservation is already released.
      part.settled = true;
      break;
    case 'created':
      break;
  }
}

/**
 * Who the timeline names for a child's change: the actor the child reported (node staff's or the carrier's
 * API key, `system` for the pickup window), else the kind of reporter its status implies.
 */
function actorOfReport(actor: string | undefined, status: FulfillmentStatus): string {
  if (actor !== undefined && patched('order-v2-fulfillment-actor')) return actor;
  return reporterOf(status);
}

/**
 * A pickup part's transfer leg moved (children start one only under the order's `order-v2-pickup-transfer`
 * patch): the timeline names both nodes. Nothing is captured: the customer pays when collecting.
 */
function recordTransfer(
  run: OrderRun,
  view: FulfillmentView,
  before: TransferStatus | undefined,
  actor: string,
) {
  const transfer = view.transfer;
  if (!transfer || transfer.status === before || !patched('order-v2-pickup-transfer')) return;
  const leg = `${view.fulfillmentId} from ${view.nodeId} to ${transfer.toNodeId}`;
  const tracking = transfer.trackingNumber ? ` ${transfer.trackingNumber}` : '';
  if (transfer.status === 'in_transit') run.record('transfer_shipped', `${leg}${tracking}`, actor);
  if (transfer.status === 'arrived') run.record('transfer_arrived', `${leg}${tracking}`, actor);
  if (transfer.status === 'exception') {
    run.record('transfer_exception', `${leg}${tracking}: ${view.reason ?? 'exception'}`, actor);
  }
}

/** Applies one view a child reported: merged into the order, then the order reacts to its new status. */
export async function applyChildReport(run: OrderRun, reported: ReportedFulfillmentView): Promise<void> {
  const { actor: reportedBy, ...view } = reported;
  const part = run.part(view.fulfillmentId);
  const current = run.fulfillment(view.fulfillmentId);
  if (!part || !current) {
    run.record('fulfillment_report_ignored', `${view.fulfillmentId} is not a fulfilment of this order`);
    return;
  }
  const before = current.status;
  const transferBefore = current.transfer?.status;
  mergeChildView(run, view);
  const actor = actorOfReport(reportedBy, current.status);
  recordTransfer(run, current, transferBefore, actor);
  if (view.status !== before && !part.settled) await reactTo(run, part, current, actor);
  run.refreshStatus(undefined, actor);
}
