import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ReservationLine } from '../../activities/stock.activities';
import { FAILURE_TYPES } from '../../src/domain/failure-types';
import {
  authorizationKey,
  captureKey,
  changeStatus,
  createOrderView,
  findFulfillment,
  fulfillmentAmountMinor,
  fulfillmentIdFor,
  recordEvent,
  reservationKey,
  setLineStatus,
  statusFromFulfillments,
  updateLineStatuses,
} from '../../src/domain/order-state';
import type { FulfillmentView, OrderStatus, OrderView } from '../../src/domain/order-view';
import type { SourcingResult } from '../../src/domain/sourcing/sourcing-result';
import { activities, local } from '../order-activity-proxies';
import {
  carrierEventSignal,
  getOrderQuery,
  SHIP_REJECTIONS,
  shipFulfillmentUpdate,
  type CarrierEvent,
  type OrderWorkflowInput,
  type ShipFulfillmentRequest,
  type ShipFulfillmentResult,
} from '../order.messages';
import { sourceFromCartHold } from '../cart-hold-conversion';
import { compensate, sourceAndReserve, type ReservationStep } from '../reserve-sourcing-plan';
import { ORDER_SEARCH_ATTRIBUTES } from '../search-attributes';
import { simulateFulfillmentWorkflow, simulationWorkflowId } from '../simulate-fulfillment.workflow';
import { describeBackorderProposal, describePlan, sourcingMemo } from '../sourcing-summary';

const DEFAULT_SIM_STEP_MS = 3000;

const nowIso = (): string => new Date().toISOString(); // workflow time: deterministic on replay

const isFailureOfType = (error: unknown, type: string): error is ActivityFailure =>
  error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;

/** Statuses in which a fulfilment that has not left yet may be shipped. */
const SHIPPABLE_ORDER_STATUSES: readonly OrderStatus[] = ['confirmed', 'partially_shipped'];

/** One fulfilment per allocation of the plan: `${orderId}-F1`, `-F2`, … in the engine's order. */
const fulfillmentsFor = (orderId: string, plan: SourcingResult): FulfillmentView[] =>
  plan.allocations.map((allocation, index) => ({
    fulfillmentId: fulfillmentIdFor(orderId, index + 1),
    nodeId: allocation.nodeId,
    lines: allocation.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity })),
    status: 'created',
  }));

/**
 * Order workflow v1, kept verbatim for the runs that started before `order-lifecycle-v2` (see
 * ../order.workflow.ts): recorded v1 histories replay through it. Do not change what it commands.
 *
 * One order, from receipt to completion: the sourcing engine plans which nodes send which units, the
 * plan's capacity and stock are reserved as a saga across nodes, the payment is authorised, one
 * fulfilment per node is created; each is shipped (Update) and delivered (signal) on its own, and its
 * share of the payment is captured on delivery. The live view is the `getOrder` query.
 */
export async function orderV1(input: OrderWorkflowInput): Promise<OrderView> {
  const { order } = input;
  const view = createOrderView(order, input.receivedAt, input.actor);
  const shipping = new Set<string>();

  async function publish(): Promise<void> {
    upsertSearchAttributes([
      { key: ORDER_SEARCH_ATTRIBUTES.orderId, value: view.orderId },
      { key: ORDER_SEARCH_ATTRIBUTES.customerId, value: view.customer.id },
      { key: ORDER_SEARCH_ATTRIBUTES.channel, value: view.channel },
      { key: ORDER_SEARCH_ATTRIBUTES.orderStatus, value: view.status },
    ]);
    // A snapshot: the view may change again before this activity's input is sent.
    const snapshot = JSON.parse(JSON.stringify(view)) as OrderView;
    await local.publishOrderView({ view: snapshot, requestHash: input.requestHash });
  }

  const linesOf = (fulfillment: FulfillmentView): ReservationLine[] =>
    fulfillment.lines.map((fl) => {
      const line = view.lines.find((l) => l.lineId === fl.lineId);
      return {
        key: reservationKey(order.orderId, fl.lineId, fulfillment.nodeId),
        sku: line?.sku ?? '',
        quantity: fl.quantity,
      };
    });

  setHandler(getOrderQuery, () => view);

  setHandler(
    shipFulfillmentUpdate,
    async ({ fulfillmentId, actor }: ShipFulfillmentRequest): Promise<ShipFulfillmentResult> => {
      const fulfillment = findFulfillment(view, fulfillmentId) as FulfillmentView;
      shipping.add(fulfillmentId);
      try {
        const address = order.delivery.address;
        const booked = await activities.bookShipment({
          orderId: order.orderId,
          fulfillmentId,
          nodeId: fulfillment.nodeId,
          ...(address ? { to: { postalCode: address.postalCode, country: address.country } } : {}),
        });
        await local.consumeOrderAtNode({
          orderId: order.orderId,
          nodeId: fulfillment.nodeId,
          lines: linesOf(fulfillment),
        });
        fulfillment.status = 'shipped';
        fulfillment.trackingNumber = booked.trackingNumber;
        updateLineStatuses(view);
        const status = statusFromFulfillments(view);
        changeStatus(
          view,
          status === 'delivered' ? 'shipped' : status,
          nowIso(),
          `${fulfillmentId} with ${booked.carrier} ${booked.trackingNumber}`,
          actor,
        );
        await publish();
        return { fulfillmentId, trackingNumber: booked.trackingNumber, carrier: booked.carrier };
      } finally {
        shipping.delete(fulfillmentId);
      }
    },
    {
      validator: ({ fulfillmentId }: ShipFulfillmentRequest): void => {
        const fulfillment = findFulfillment(view, fulfillmentId);
        if (!fulfillment) {
          throw ApplicationFailure.create({
            type: SHIP_REJECTIONS.unknownFulfillment,
            message: `Order ${order.orderId} has no fulfilment ${fulfillmentId}.`,
          });
        }
        if (fulfillment.status !== 'created' || shipping.has(fulfillmentId)) {
          throw ApplicationFailure.create({
            type: SHIP_REJECTIONS.alreadyShipped,
            message: `Fulfilment ${fulfillmentId} is already ${shipping.has(fulfillmentId) ? 'being shipped' : fulfillment.status}.`,
          });
        }
        if (!SHIPPABLE_ORDER_STATUSES.includes(view.status)) {
          throw ApplicationFailure.create({
            type: SHIP_REJECTIONS.wrongState,
            message: `Order ${order.orderId} is ${view.status}; only a confirmed order can ship.`,
          });
        }
      },
    },
  );

  setHandler(carrierEventSignal, (event: CarrierEvent) => applyCarrierEvent(view, event));

  await publish();

  // Sourcing: the engine's plan on a fresh snapshot, reserved node by node; a racing order winning means a new plan.
  const onRetry = (reason: string): void => recordEvent(view, nowIso(), 'sourcing_retry', reason);
  // Only orders that name a cart hold take this path, so the histories of all others replay unchanged.
  const sourced = order.cartHoldId
    ? await sourceFromCartHold(order, order.cartHoldId, nowIso, onRetry)
    : await sourceAndReserve(order, nowIso, onRetry);
  const { plan } = sourced;
  view.sourcing = { ...plan, decidedAt: sourced.decidedAt, attempt: sourced.attempt };
  upsertMemo({ sourcing: sourcingMemo(plan, sourced.attempt) });
  recordEvent(view, nowIso(), 'sourced', describePlan(plan));
  if (sourced.kind !== 'reserved') {
    // Backorders come with the order lifecycle: for now an order that cannot all ship now is cancelled,
    // with the engine's proposal for the rest on the timeline when the customer accepts a split.
    if (sourced.kind === 'unservable' && order.shipComplete !== true && plan.totals.allocatedUnits > 0) {
      recordEvent(view, nowIso(), 'backorder_proposed', describeBackorderProposal(plan));
    }
    setLineStatus(view, 'cancelled');
    changeStatus(view, 'cancelled', nowIso(), 'out_of_stock');
    await publish();
    return view;
  }
  const steps: ReservationStep[] = sourced.steps;
  const fulfillments = fulfillmentsFor(order.orderId, plan);
  const nodes = fulfillments.map((f) => f.nodeId).join(', ');
  setLineStatus(view, 'reserved');
  recordEvent(view, nowIso(), 'stock_reserved', `at ${nodes}`);

  // Payment: a decline ends the order and gives the stock and the node capacity back.
  let authorizationId: string;
  try {
    // v1 only knows tokens answered at once (pending and review arrived with v2).
    const authorization = (await activities.authorizePayment({
      orderId: order.orderId,
      idempotencyKey: authorizationKey(order.orderId),
      token: order.payment.token,
      amountMinor: view.totalMinor,
      currency: order.currency,
    })) as { authorizationId: string; amountMinor: number };
    authorizationId = authorization.authorizationId;
    view.payment.status = 'authorized';
    view.payment.authorizedMinor = authorization.amountMinor;
    recordEvent(view, nowIso(), 'payment_authorized', `${authorization.amountMinor} ${order.currency}`);
  } catch (error) {
    await compensate(steps);
    if (!isFailureOfType(error, FAILURE_TYPES.paymentDeclined)) throw error;
    view.payment.status = 'declined';
    setLineStatus(view, 'cancelled');
    recordEvent(view, nowIso(), 'stock_released', `at ${nodes}`);
    changeStatus(view, 'payment_failed', nowIso(), error.cause?.message);
    await publish();
    return view;
  }

  // Recorded first, so that once the order shows `confirmed` its fulfilments can already be shipped.
  for (const fulfillment of fulfillments) {
    await local.recordFulfillment({
      fulfillmentId: fulfillment.fulfillmentId,
      orderId: order.orderId,
      nodeId: fulfillment.nodeId,
      lines: fulfillment.lines.map((fl) => ({
        lineId: fl.lineId,
        sku: view.lines.find((l) => l.lineId === fl.lineId)?.sku ?? '',
        quantity: fl.quantity,
      })),
    });
  }
  view.fulfillments.push(...fulfillments);
  changeStatus(view, 'confirmed', nowIso());
  for (const fulfillment of fulfillments) {
    recordEvent(
      view,
      nowIso(),
      'fulfillment_created',
      `${fulfillment.fulfillmentId} at ${fulfillment.nodeId}`,
    );
  }
  await publish();
  if (input.simulation === 'auto') {
    for (const fulfillment of fulfillments)
      await startSimulation(order.orderId, fulfillment.fulfillmentId, input.simStepMs);
  }

  // Each parcel ships (Update) and is tracked (signals) on its own; its delivery captures its share.
  const captured = new Set<string>();
  const deliveredNotCaptured = (): FulfillmentView | undefined =>
    view.fulfillments.find((f) => f.status === 'delivered' && !captured.has(f.fulfillmentId));
  while (captured.size < view.fulfillments.length) {
    await condition(() => deliveredNotCaptured() !== undefined);
    const delivered = deliveredNotCaptured() as FulfillmentView;
    updateLineStatuses(view);
    if (statusFromFulfillments(view) === 'delivered') {
      changeStatus(view, 'delivered', nowIso(), delivered.trackingNumber);
      await publish();
    }
    const capture = await activities.capturePayment({
      idempotencyKey: captureKey(order.orderId, delivered.fulfillmentId),
      authorizationId,
      amountMinor: fulfillmentAmountMinor(view, delivered),
    });
    captured.add(delivered.fulfillmentId);
    view.payment.capturedMinor += capture.amountMinor;
    recordEvent(
      view,
      nowIso(),
      'payment_captured',
      `${capture.amountMinor} ${order.currency} for ${delivered.fulfillmentId}`,
    );
    if (captured.size === view.fulfillments.length) {
      view.payment.status = 'captured';
      changeStatus(view, 'completed', nowIso());
    }
    await publish();
  }

  await condition(allHandlersFinished);
  return view;
}

/** Applies one carrier tracking event to the view; repeats and out-of-order events change nothing. */
function applyCarrierEvent(view: OrderView, event: CarrierEvent): void {
  const fulfillment =
    findFulfillment(view, event.fulfillmentId) ??
    view.fulfillments.find((f) => f.trackingNumber === event.trackingNumber);
  const detail = `${event.trackingNumber} at ${event.at}`;
  if (!fulfillment || fulfillment.status === 'created' || fulfillment.status === 'delivered') {
    if (fulfillment?.status !== 'delivered') {
      recordEvent(view, nowIso(), 'carrier_event_ignored', `${event.event} for ${detail}`, 'carrier');
    }
    return;
  }
  if (event.event === 'in_transit' && fulfillment.status === 'shipped') {
    fulfillment.status = 'in_transit';
    recordEvent(view, nowIso(), 'in_transit', detail, 'carrier');
  } else if (event.event === 'delivered') {
    fulfillment.status = 'delivered';
    recordEvent(view, nowIso(), 'fulfillment_delivered', detail, 'carrier');
  } else if (event.event === 'exception') {
    fulfillment.status = 'exception';
    recordEvent(view, nowIso(), 'carrier_exception', detail, 'carrier');
  }
}

/** Auto simulation: a child that plays node staff and carrier over HTTP, left running if the order closes first. */
async function startSimulation(
  orderId: string,
  fulfillmentId: string,
  stepMs = DEFAULT_SIM_STEP_MS,
): Promise<void> {
  try {
    await startChild(simulateFulfillmentWorkflow, {
      workflowId: simulationWorkflowId(fulfillmentId),
      args: [{ orderId, fulfillmentId, stepMs }],
      parentClosePolicy: 'ABANDON',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
