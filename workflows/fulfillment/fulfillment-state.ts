import type { FulfillmentStatus, FulfillmentView } from '../../src/domain/order-view';
import type { CarrierEvent } from '../order.messages';
import {
  FULFILLMENT_REJECTIONS,
  type CancelLinesRequest,
  type FulfillmentLine,
  type FulfillmentWorkflowInput,
} from '../fulfillment.messages';

/** Pure state of the fulfilment child: its view, lines (with reservation keys) and what it refuses. */

/** Statuses the child never leaves; `exception` only becomes final once the parent closes it. */
export const FINAL_STATUSES: readonly FulfillmentStatus[] = [
  'delivered',
  'picked_up',
  'not_collected',
  'cancelled',
  'rejected',
];

/** Statuses in which the parcel has left the node (or been handed to the customer). */
export const HANDED_OVER_STATUSES: readonly FulfillmentStatus[] = [
  'shipped',
  'in_transit',
  'delivered',
  'exception',
  'picked_up',
];

export const isFinal = (status: FulfillmentStatus): boolean => FINAL_STATUSES.includes(status);

/** The view the child starts with: `created` at its node. */
export function createFulfillmentView(input: FulfillmentWorkflowInput): FulfillmentView {
  return {
    fulfillmentId: input.fulfillmentId,
    nodeId: input.nodeId,
    lines: viewLines(input.lines),
    status: 'created',
    method: input.method,
  };
}

/** The view's lines (no SKUs or keys) from the child's own lines. */
export const viewLines = (lines: readonly FulfillmentLine[]): FulfillmentView['lines'] =>
  lines.map(({ lineId, quantity }) => ({ lineId, quantity }));

/** A refusal: the ApplicationFailure type (FULFILLMENT_REJECTIONS) and a message for the caller. */
export interface Refusal {
  type: (typeof FULFILLMENT_REJECTIONS)[keyof typeof FULFILLMENT_REJECTIONS];
  message: string;
}

/** What the child is doing right now that another request must not overlap (a handover in progress). */
export type Busy = 'shipping' | 'handing_over' | undefined;

interface Situation {
  view: FulfillmentView;
  onHold: boolean;
  busy: Busy;
}

const describe = (view: FulfillmentView): string => `Fulfilment ${view.fulfillmentId} is ${view.status}.`;

/** Why a request that needs a fulfilment not yet handed over is refused (AlreadyShipped once it left). */
function refuseUnlessOpen({ view, busy }: Situation): Refusal | undefined {
  if (busy) {
    return {
      type: FULFILLMENT_REJECTIONS.alreadyShipped,
      message: `Fulfilment ${view.fulfillmentId} is being handed over.`,
    };
  }
  if (HANDED_OVER_STATUSES.includes(view.status))
    return { type: FULFILLMENT_REJECTIONS.alreadyShipped, message: describe(view) };
  if (isFinal(view.status)) return { type: FULFILLMENT_REJECTIONS.wrongState, message: describe(view) };
  return undefined;
}

const refuseWrongMethod = (view: FulfillmentView, wanted: 'ship' | 'pickup'): Refusal | undefined =>
  view.method === wanted
    ? undefined
    : {
        type: FULFILLMENT_REJECTIONS.wrongMethod,
        message: `Fulfilment ${view.fulfillmentId} is a ${view.method === 'pickup' ? 'click-and-collect' : 'parcel'} fulfilment.`,
      };

const refuseOnHold = ({ view, onHold }: Situation): Refusal | undefined =>
  onHold
    ? {
        type: FULFILLMENT_REJECTIONS.onHold,
        message: `The order of fulfilment ${view.fulfillmentId} is on hold: nothing is handed over until it is released.`,
      }
    : undefined;

const refuseUnlessStatus = (view: FulfillmentView, status: FulfillmentStatus): Refusal | undefined =>
  view.status === status
    ? undefined
    : { type: FULFILLMENT_REJECTIONS.wrongState, message: `${describe(view)} It must be ${status}.` };

/** Once the transfer leg has left the source node, its units can no longer be taken back or rejected there. */
const refuseAfterTransferLeft = ({ view }: Situation): Refusal | undefined =>
  view.transfer && view.transfer.status !== 'pending'
    ? {
        type: FULFILLMENT_REJECTIONS.alreadyShipped,
        message: `Fulfilment ${view.fulfillmentId} has left ${view.nodeId} for the pickup store ${view.transfer.toNodeId} (transfer ${view.transfer.status}).`,
      }
    : undefined;

/**
 * Node staff may hand the parcel to the carrier: a parcel fulfilment, still at the node, not held; or the
 * transfer leg of a pickup part from another node, still pending at the source node.
 */
export const refuseShip = (s: Situation): Refusal | undefined =>
  (s.view.transfer ? refuseAfterTransferLeft(s) : refuseWrongMethod(s.view, 'ship')) ??
  refuseUnlessOpen(s) ??
  refuseOnHold(s);

/**
 * A pickup parcel may be put out for the customer: still waiting (created), not held. A transfer not yet
 * scanned as delivered does not stop it: the store has the units in hand (see `receiveTransferAtStore`).
 */
export const refuseReadyForPickup = (s: Situation): Refusal | undefined =>
  refuseWrongMethod(s.view, 'pickup') ??
  refuseUnlessOpen(s) ??
  refuseUnlessStatus(s.view, 'created') ??
  refuseOnHold(s);

/** The customer may collect a parcel that is ready, while the order is not held. */
export const refusePickedUp = (s: Situation): Refusal | undefined =>
  refuseWrongMethod(s.view, 'pickup') ??
  refuseUnlessOpen(s) ??
  refuseUnlessStatus(s.view, 'ready_for_pickup') ??
  refuseOnHold(s);

/** The node may reject a fulfilment it has not started handing over (hold or not). */
export const refuseReject = (s: Situation): Refusal | undefined =>
  refuseUnlessOpen(s) ?? refuseUnlessStatus(s.view, 'created') ?? refuseAfterTransferLeft(s);

/** The destination may change until the parcel leaves; a pickup has none. */
export const refuseAddressChange = (s: Situation): Refusal | undefined =>
  refuseWrongMethod(s.view, 'ship') ?? refuseUnlessOpen(s);

/** Only a parcel in exception may be closed by the parent's decision. */
export const refuseClose = ({ view }: Situation): Refusal | undefined =>
  refuseUnlessStatus(view, 'exception');

/** Lines may be cancelled until the parcel leaves (or is collected); each named line must exist with enough units. */
export function refuseCancelLines(
  s: Situation,
  lines: readonly FulfillmentLine[],
  request: CancelLinesRequest,
): Refusal | undefined {
  // A transfer lost on the way may still be cancelled: its units left the source's stock, nothing was captured.
  const lost = s.view.transfer?.status === 'exception';
  const closed = refuseUnlessOpen(s) ?? (lost ? undefined : refuseAfterTransferLeft(s));
  if (closed) return closed;
  for (const asked of request.lines ?? []) {
    const line = lines.find((l) => l.lineId === asked.lineId);
    if (!line) {
      return {
        type: FULFILLMENT_REJECTIONS.unknownLine,
        message: `Fulfilment ${s.view.fulfillmentId} has no line ${asked.lineId}.`,
      };
    }
    const total = (request.lines ?? [])
      .filter((other) => other.lineId === asked.lineId)
      .reduce((sum, other) => sum + other.quantity, 0);
    if (!Number.isInteger(asked.quantity) || asked.quantity < 1 || total > line.quantity) {
      return {
        type: FULFILLMENT_REJECTIONS.invalidQuantity,
        message: `Fulfilment ${s.view.fulfillmentId} has ${line.quantity} of line ${asked.lineId}; cannot take ${total} off.`,
      };
    }
  }
  return undefined;
}

/** The lines left after a cancellation (a line at zero units is dropped; no `lines` takes everything off). */
export function linesAfterCancel(
  lines: readonly FulfillmentLine[],
  request: CancelLinesRequest,
): FulfillmentLine[] {
  if (!request.lines) return [];
  return lines
    .map((line) => {
      const off = request
        .lines!.filter((l) => l.lineId === line.lineId)
        .reduce((sum, l) => sum + l.quantity, 0);
      return { ...line, quantity: line.quantity - off };
    })
    .filter((line) => line.quantity > 0);
}

/**
 * Applies one carrier tracking event; answers whether the view changed. Only forward moves count, so
 * repeats and out-of-order events (in transit after delivered, anything before the parcel left, another
 * parcel's number) change nothing. A late `delivered` after an exception still delivers: the parcel was found.
 */
export function applyCarrierEvent(view: FulfillmentView, event: CarrierEvent): boolean {
  if (view.method === 'pickup' || !view.trackingNumber || event.trackingNumber !== view.trackingNumber)
    return false;
  const from = view.status;
  if (event.event === 'in_transit' && from === 'shipped') {
    view.status = 'in_transit';
    return true;
  }
  if (event.event === 'delivered' && (from === 'shipped' || from === 'in_transit' || from === 'exception')) {
    view.status = 'delivered';
    delete view.reason;
    return true;
  }
  if (event.event === 'exception' && (from === 'shipped' || from === 'in_transit')) {
    view.status = 'exception';
    view.reason = `carrier reported an exception at ${event.at}`;
    return true;
  }
  return false;
}

/**
 * Applies one carrier tracking event to a transfer leg; answers whether the view changed. `exception` on the
 * road makes it `exception`; `delivered` (at the pickup store) makes it `arrived`, also after an exception
 * (the parcel was found). Repeats, other parcels' numbers and other events change nothing.
 */
export function applyTransferEvent(view: FulfillmentView, event: CarrierEvent): boolean {
  const transfer = view.transfer;
  if (!transfer?.trackingNumber || event.trackingNumber !== transfer.trackingNumber) return false;
  if (event.event === 'exception' && transfer.status === 'in_transit') {
    transfer.status = 'exception';
    view.reason = `carrier reported an exception on the transfer at ${event.at}`;
    return true;
  }
  if (event.event !== 'delivered' || !['in_transit', 'exception'].includes(transfer.status)) return false;
  // The order merges reported views field by field, so a stale reason is replaced, not deleted.
  if (transfer.status === 'exception') view.reason = `transfer delivered at ${event.at} after an exception`;
  transfer.status = 'arrived';
  return true;
}

/**
 * The store makes a transfer's units ready: they are in its hands, so the transfer has arrived, whatever the
 * carrier's scans say yet. A leg never shipped through us (no tracking number) keeps its units in the source
 * node's stock until pickup, as a part made ready at its own node does.
 */
export function receiveTransferAtStore(view: FulfillmentView): void {
  if (view.transfer) view.transfer.status = 'arrived';
}

/** Whether the part's units left the source node's stock on a transfer leg (so pickup consumes nothing more). */
export const transferLegShipped = (view: FulfillmentView): boolean =>
  view.transfer?.trackingNumber !== undefined;
