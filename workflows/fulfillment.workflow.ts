import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  setHandler,
} from '@temporalio/workflow';
import type { BookShipmentResult } from '../activities/carrier.activities';
import type { Address } from '../src/domain/order-request';
import type { FulfillmentView } from '../src/domain/order-view';
import {
  applyCarrierEvent,
  applyTransferEvent,
  createFulfillmentView,
  isFinal,
  linesAfterCancel,
  receiveTransferAtStore,
  transferLegShipped,
  refuseAddressChange,
  refuseCancelLines,
  refuseClose,
  refusePickedUp,
  refuseReadyForPickup,
  refuseReject,
  refuseShip,
  viewLines,
  type Busy,
  type Refusal,
} from './fulfillment/fulfillment-state';
import { createParentReporter } from './fulfillment/report-to-parent';
import { startFulfillmentSimulation } from './fulfillment/start-simulation';
import {
  cancelLinesUpdate,
  changeAddressUpdate,
  closeFulfillmentUpdate,
  fulfillmentCarrierEventSignal,
  fulfillmentWorkflowId,
  getFulfillmentQuery,
  holdSignal,
  pickedUpUpdate,
  readyForPickupUpdate,
  rejectUpdate,
  shipUpdate,
  type ActorRequest,
  type CancelLinesRequest,
  type CloseFulfillmentRequest,
  type FulfillmentWorkflowInput,
  type RejectRequest,
  type ShipResult,
} from './fulfillment.messages';
import { activities, local } from './order-activity-proxies';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_PICKUP_WINDOW_DAYS = 7;

const nowIso = (): string => new Date().toISOString(); // workflow time: deterministic on replay

const snapshot = (view: FulfillmentView): FulfillmentView =>
  JSON.parse(JSON.stringify(view)) as FulfillmentView;

/** What node staff are answered once the carrier booked the parcel (or the transfer leg). */
const shipResultOf = (fulfillmentId: string, booked: BookShipmentResult): ShipResult => ({
  fulfillmentId,
  trackingNumber: booked.trackingNumber,
  carrier: booked.carrier,
  labelUrl: booked.labelUrl,
  ...(booked.expectedDeliveryDate ? { expectedDeliveryDate: booked.expectedDeliveryDate } : {}),
});

/** Throws the refusal as the non-retryable ApplicationFailure a validator answers with. */
function throwIfRefused(refusal: Refusal | undefined): void {
  if (refusal)
    throw ApplicationFailure.create({ type: refusal.type, message: refusal.message, nonRetryable: true });
}

/**
 * One fulfilment (`fulfillment:<id>`), a child of its order: node staff ship the parcel (carrier booked,
 * reserved stock consumed) and the carrier tracks it to delivery, or, for click-and-collect, the parcel
 * is made ready, then collected before the pickup window closes (or not). The parent is told of every
 * change with `fulfillmentChanged`; the child ends in a final status and answers its last view.
 */
export async function fulfillmentWorkflow(input: FulfillmentWorkflowInput): Promise<FulfillmentView> {
  const view = createFulfillmentView(input);
  let lines = input.lines.map((line) => ({ ...line }));
  let address = input.address;
  let onHold = input.onHold;
  let busy: Busy;
  let closed = false;
  let pickupDeadlineMs = 0;
  const parent = createParentReporter(input.parentWorkflowId);
  // Each report names who made the change, for the order's timeline (runs started before this patch did not).
  const reportsActor = patched('fulfillment-reports-actor');
  const situation = () => ({ view, onHold, busy });
  const changed = (actor: string): void => parent.report(view, reportsActor ? actor : undefined);
  // An Update answers once the parent has the change in its history, so the order read right after the
  // answer already knows it (read-your-writes for node staff and agents).
  const changedAndTold = async (actor: string): Promise<FulfillmentView> => {
    const answer = snapshot(view);
    changed(actor);
    await parent.flushed();
    return answer;
  };
  // Units leave the node: the parent's reservations under these keys become shipped stock.
  const consumeStock = () =>
    local.consumeOrderAtNode({
      orderId: input.orderId,
      nodeId: input.nodeId,
      lines: lines.map((line) => ({ key: line.reservationKey, sku: line.sku, quantity: line.quantity })),
    });

  // Click-and-collect from another node: the units travel to the pickup store first (runs before this patch
  // were made ready at the source node).
  const transferTo =
    input.method === 'pickup' &&
    input.transferTo !== undefined &&
    input.transferTo !== input.nodeId &&
    patched('fulfillment-pickup-transfer')
      ? input.transferTo
      : undefined;
  if (transferTo) view.transfer = { toNodeId: transferTo, status: 'pending' };

  setHandler(getFulfillmentQuery, () => view);

  /** The source node ships the transfer leg to the pickup store: the units leave its stock, nothing is captured. */
  async function shipTransfer(toNodeId: string, actor: string): Promise<ShipResult> {
    const booked = await activities.bookShipment({
      orderId: input.orderId,
      fulfillmentId: input.fulfillmentId,
      nodeId: input.nodeId,
      workflowId: fulfillmentWorkflowId(input.fulfillmentId),
      toNodeId,
      speed: 'standard',
    });
    await consumeStock();
    view.transfer = { toNodeId, status: 'in_transit', trackingNumber: booked.trackingNumber };
    await changedAndTold(actor);
    return shipResultOf(input.fulfillmentId, booked);
  }

  setHandler(
    shipUpdate,
    async ({ actor }: ActorRequest): Promise<ShipResult> => {
      // Checked again here: the validator and the in-progress guard together keep one booking per parcel.
      throwIfRefused(refuseShip(situation()));
      busy = 'shipping';
      try {
        if (view.transfer) return await shipTransfer(view.transfer.toNodeId, actor);
        const booked = await activities.bookShipment({
          orderId: input.orderId,
          fulfillmentId: input.fulfillmentId,
          nodeId: input.nodeId,
          workflowId: fulfillmentWorkflowId(input.fulfillmentId),
          ...(address ? { to: address } : {}),
        });
        await consumeStock();
        view.status = 'shipped';
        view.trackingNumber = booked.trackingNumber;
        view.carrier = booked.carrier;
        await changedAndTold(actor);
        return shipResultOf(input.fulfillmentId, booked);
      } finally {
        busy = undefined;
      }
    },
    { validator: (_request: ActorRequest) => throwIfRefused(refuseShip(situation())) },
  );

  setHandler(
    readyForPickupUpdate,
    async ({ actor }: ActorRequest): Promise<FulfillmentView> => {
      throwIfRefused(refuseReadyForPickup(situation()));
      receiveTransferAtStore(view);
      const days = input.pickupWindowDays ?? DEFAULT_PICKUP_WINDOW_DAYS;
      pickupDeadlineMs = Date.now() + days * DAY_MS;
      view.status = 'ready_for_pickup';
      view.pickupBy = new Date(pickupDeadlineMs).toISOString();
      return await changedAndTold(actor);
    },
    { validator: (_request: ActorRequest) => throwIfRefused(refuseReadyForPickup(situation())) },
  );

  setHandler(
    pickedUpUpdate,
    async ({ actor }: ActorRequest): Promise<FulfillmentView> => {
      throwIfRefused(refusePickedUp(situation()));
      busy = 'handing_over';
      try {
        // A transfer's units already left the source node's stock when its leg shipped.
        if (!transferLegShipped(view)) await consumeStock();
        view.status = 'picked_up';
        return await changedAndTold(actor);
      } finally {
        busy = undefined;
      }
    },
    { validator: (_request: ActorRequest) => throwIfRefused(refusePickedUp(situation())) },
  );

  setHandler(
    rejectUpdate,
    async ({ reason, actor }: RejectRequest): Promise<FulfillmentView> => {
      throwIfRefused(refuseReject(situation()));
      view.status = 'rejected';
      view.reason = reason;
      return await changedAndTold(actor);
    },
    { validator: (_request: RejectRequest) => throwIfRefused(refuseReject(situation())) },
  );

  setHandler(
    cancelLinesUpdate,
    async (request: CancelLinesRequest): Promise<FulfillmentView> => {
      throwIfRefused(refuseCancelLines(situation(), lines, request));
      lines = linesAfterCancel(lines, request);
      view.lines = viewLines(lines);
      if (lines.length === 0) {
        view.status = 'cancelled';
        view.reason = request.reason;
      }
      return await changedAndTold(request.actor);
    },
    {
      validator: (request: CancelLinesRequest) =>
        throwIfRefused(refuseCancelLines(situation(), lines, request)),
    },
  );

  setHandler(
    changeAddressUpdate,
    (request: ActorRequest & { address: Address }): FulfillmentView => {
      throwIfRefused(refuseAddressChange(situation()));
      address = request.address;
      return snapshot(view);
    },
    {
      validator: (_request: ActorRequest & { address: Address }) =>
        throwIfRefused(refuseAddressChange(situation())),
    },
  );

  setHandler(
    closeFulfillmentUpdate,
    async ({ resolution, actor }: CloseFulfillmentRequest): Promise<FulfillmentView> => {
      throwIfRefused(refuseClose(situation()));
      closed = true;
      view.reason = `${view.reason ?? 'carrier exception'}; resolved by ${resolution}`;
      return await changedAndTold(actor);
    },
    { validator: (_request: CloseFulfillmentRequest) => throwIfRefused(refuseClose(situation())) },
  );

  setHandler(holdSignal, ({ onHold: held }) => {
    onHold = held;
  });

  setHandler(fulfillmentCarrierEventSignal, (event) => {
    const applied = view.transfer ? applyTransferEvent(view, event) : applyCarrierEvent(view, event);
    if (applied) changed(event.actor ?? 'carrier');
  });

  if (input.simulation === 'auto') await startFulfillmentSimulation(input, transferTo !== undefined);

  /** A parcel ready at the store waits until its deadline; not collected by then, it is given up. */
  async function waitOutPickupWindow(): Promise<void> {
    if (busy) {
      await condition(() => busy === undefined);
      return;
    }
    const remainingMs = pickupDeadlineMs - Date.now();
    if (remainingMs > 0) {
      await condition(() => view.status !== 'ready_for_pickup' || busy !== undefined, remainingMs);
      return;
    }
    if (view.transfer && transferLegShipped(view)) {
      // The transferred units are at the pickup store now: they go on its shelf, not back to the source
      // node; the customer can no longer collect them meanwhile.
      busy = 'handing_over';
      try {
        await local.restockUncollectedTransfer({
          orderId: input.orderId,
          fulfillmentId: input.fulfillmentId,
          nodeId: view.transfer.toNodeId,
          lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
        });
      } finally {
        busy = undefined;
      }
    }
    view.status = 'not_collected';
    view.reason = `not collected by ${view.pickupBy ?? nowIso()}`;
    changed('system');
  }

  while (!isFinal(view.status) && !closed) {
    if (view.status === 'ready_for_pickup') await waitOutPickupWindow();
    else await condition(() => isFinal(view.status) || closed || view.status === 'ready_for_pickup');
  }
  await condition(allHandlersFinished);
  await parent.flushed();
  return view;
}
