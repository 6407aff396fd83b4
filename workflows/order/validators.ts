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

/** Identifiers as the contract allows them (safe in workflow ids, Mongo field names and URLs). */
const IDENTIFIER = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_LINES = 100;
const MAX_QUANTITY = 10_000;
const MAX_UNIT_PRICE_MINOR = 1_000_000_000;
const SPEEDS: readonly string[] = ['standard', 'express'];

/** Added lines: well formed, new ids, room on the order; not on a ship-complete order (one parcel, already planned). */
function checkAddLines(run: OrderRun, added: NonNullable<ModifyOrderRequest['addLines']>): void {
  if (run.state.phase === 'sourcing') throw notAllowed(`Order ${run.orderId} is still being sourced.`);
  if (run.view.lines.length + added.length > MAX_LINES)
    throw invalidRequest(`An order has at most ${MAX_LINES} lines.`);
  const named = added.flatMap((l) => (l.lineId === undefined ? [] : [l.lineId]));
  if (new Set(named).size !== named.length) throw invalidRequest('A new line id is named twice.');
  for (const { lineId, sku, quantity, unitPriceMinor } of added) {
    if (lineId !== undefined && !IDENTIFIER.test(lineId))
      throw invalidRequest(`Line id ${lineId} must be 1-64 letters, digits, "-" or "_".`);
    if (lineId !== undefined && run.line(lineId))
      throw invalidRequest(`Order ${run.orderId} already has line ${lineId}.`);
    if (typeof sku !== 'string' || !IDENTIFIER.test(sku))
      throw invalidRequest(`SKU ${String(sku)} is not valid.`);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY)
      throw invalidRequest(`Quantity of ${sku} must be 1 to ${MAX_QUANTITY}.`);
    if (!Number.isInteger(unitPriceMinor) || unitPriceMinor < 0 || unitPriceMinor > MAX_UNIT_PRICE_MINOR)
      throw invalidRequest(`Unit price of ${sku} must be a whole number of minor units, 0 or more.`);
  }
  if (run.order.shipComplete === true)
    throw notAllowed(
      'A ship-complete order leaves as one parcel: a new item cannot join it; place a new order.',
    );
}

/** Units waiting for inbound supply, as "2 × SKU (expected …)". */
const describeWaiting = (run: OrderRun): string =>
  (run.view.backorders ?? [])
    .map((b) => `${b.quantity} × ${b.sku}${b.expectedAt ? ` (expected ${b.expectedAt.slice(0, 10)})` : ''}`)
    .join(', ');

/**
 * A new delivery speed: shipped orders only; something must still be at a node; express needs every
 * unit in stock at a node now (units waiting for inbound supply cannot be promised express).
 */
function checkSpeed(run: OrderRun, speed: string): void {
  if (!SPEEDS.includes(speed)) throw invalidRequest(`Speed must be one of ${SPEEDS.join(', ')}.`);
  if (run.order.delivery.method !== 'ship')
    throw invalidRequest('A click-and-collect order has no delivery speed to change.');
  if ((run.order.delivery.speed ?? 'standard') === speed) return;
  const stillHere = run.view.lines.some(
    (l) => l.status === 'reserved' || l.status === 'backordered' || l.status === 'open',
  );
  if (!stillHere)
    throw notAllowed(`Every parcel of order ${run.orderId} has left; the speed can no longer change.`);
  if (speed === 'express' && (run.view.backorders ?? []).length > 0) {
    throw notAllowed(
      `Express delivery is not possible: no node has ${describeWaiting(run)} in stock now; ` +
        'those units wait for inbound supply.',
    );
  }
}

/**
 * The address before any parcel leaves (ship orders only); quantities of known lines before they ship;
 * added lines; the delivery speed.
 */
export function checkModify(run: OrderRun, request: ModifyOrderRequest): void {
  refuseClosed(run);
  if (!request.address && !request.lines?.length && !request.addLines?.length && request.speed === undefined)
    throw invalidRequest('Name an address, lines, lines to add or a speed to change.');
  if (request.speed !== undefined) checkSpeed(run, request.speed);
  if (request.addLines?.length) checkAddLines(run, request.addLines);
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
