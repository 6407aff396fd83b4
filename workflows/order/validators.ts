import { hasLeftNode, isActivePart } from '../../src/domain/order-progress';
import type {
  CancelOrderRequest,
  HoldRequest,
  ModifyOrderRequest,
  ResolveExceptionRequest,
} from '../order.messages';
import type { OrderRun } from './order-run';
import { invalidRequest, notAllowed } from './rejections';

/**
 * The order's answers to agents, checked on the state as it is (validators: nothing changes when they
 * refuse) and again once the request holds the lock (the state may have moved on while it waited).
 */

/** Units of a line that have left their node (shipped, delivered, collected). */
export const unitsLeft = (run: OrderRun, lineId: string): number =>
  run.view.fulfillments
    .filter((f) => isActivePart(f) && hasLeftNode(f))
    .flatMap((f) => f.lines)
    .filter((l) => l.lineId === lineId)
    .reduce((total, l) => total + l.quantity, 0);

function refuseClosed(run: OrderRun): void {
  if (run.closed) throw notAllowed(`Order ${run.orderId} is ${run.view.status} and accepts no more changes.`);
}

function refuseUnknownLines(run: OrderRun, lineIds: readonly string[]): void {
  const unknown = lineIds.filter((id) => !run.line(id));
  if (unknown.length > 0) throw invalidRequest(`Order ${run.orderId} has no line ${unknown.join(', ')}.`);
  if (new Set(lineIds).size !== lineIds.length) throw invalidRequest('A line is named twice.');
}

/** Whole order: nothing may have left. Named lines: known, not cancelled already, none of their units left. */
export function checkCancel(run: OrderRun, { lineIds }: CancelOrderRequest): void {
  refuseClosed(run);
  if (lineIds) {
    refuseUnknownLines(run, lineIds);
    if (lineIds.length === 0)
      throw invalidRequest('Name at least one line, or none to cancel the whole order.');
  }
  for (const line of run.view.lines.filter((l) => !lineIds || lineIds.includes(l.lineId))) {
    if (lineIds && line.status === 'cancelled') throw notAllowed(`Line ${line.lineId} is already cancelled.`);
    const left = unitsLeft(run, line.lineId);
    if (left > 0) {
      throw notAllowed(
        lineIds
          ? `Line ${line.lineId} has shipped (${left} unit(s)) and can no longer be cancelled.`
          : `Part of order ${run.orderId} has shipped; cancel the lines that have not by naming them.`,
      );
    }
  }
}

/** The address before any parcel leaves (ship orders only); quantities of known lines before they ship. */
export function checkModify(run: OrderRun, request: ModifyOrderRequest): void {
  refuseClosed(run);
  if (!request.address && !request.lines?.length) throw invalidRequest('Name an address or lines to change.');
  if (request.address) {
    if (run.order.delivery.method !== 'ship')
      throw invalidRequest('A click-and-collect order has no address to change.');
    const left = run.view.fulfillments.find((f) => hasLeftNode(f));
    if (left)
      throw notAllowed(`${left.fulfillmentId} has already shipped; the address can no longer change.`);
  }
  const lines = request.lines ?? [];
  refuseUnknownLines(
    run,
    lines.map((l) => l.lineId),
  );
  for (const { lineId, quantity } of lines) {
    if (!Number.isInteger(quantity) || quantity < 0)
      throw invalidRequest(`Quantity of line ${lineId} must be 0 or more.`);
    const line = run.line(lineId);
    if (line?.status === 'cancelled') throw notAllowed(`Line ${lineId} is cancelled.`);
    if (unitsLeft(run, lineId) > 0)
      throw notAllowed(`Line ${lineId} has shipped; its quantity can no longer change.`);
  }
}

export function checkPlaceHold(run: OrderRun, _request: HoldRequest): void {
  refuseClosed(run);
  if (run.view.hold) throw notAllowed(`Order ${run.orderId} is already on hold (${run.view.hold.reason}).`);
}

export function checkReleaseHold(run: OrderRun): void {
  refuseClosed(run);
  if (!run.view.hold) throw notAllowed(`Order ${run.orderId} is not on hold.`);
}

export function checkResolve(run: OrderRun, { fulfillmentId }: ResolveExceptionRequest): void {
  refuseClosed(run);
  const fulfillment = run.fulfillment(fulfillmentId);
  if (!fulfillment) throw invalidRequest(`Order ${run.orderId} has no fulfilment ${fulfillmentId}.`);
  if (fulfillment.resolution)
    throw notAllowed(`${fulfillmentId} was resolved already (${fulfillment.resolution}).`);
  if (fulfillment.status !== 'exception') {
    throw notAllowed(
      `${fulfillmentId} is ${fulfillment.status}; only a parcel in exception can be resolved.`,
    );
  }
}
