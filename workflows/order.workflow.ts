import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { OrderActivities } from '../activities';
import type { ReservationLine } from '../activities/stock.activities';
import { FAILURE_TYPES } from '../src/domain/failure-types';
import {
  authorizationKey,
  captureKey,
  changeStatus,
  createOrderView,
  findFulfillment,
  fulfillmentIdFor,
  recordEvent,
  reservationKey,
  setLineStatus,
} from '../src/domain/order-state';
import type { FulfillmentView, OrderView } from '../src/domain/order-view';
import {
  carrierEventSignal,
  getOrderQuery,
  SHIP_REJECTIONS,
  shipFulfillmentUpdate,
  type CarrierEvent,
  type OrderWorkflowInput,
  type ShipFulfillmentRequest,
  type ShipFulfillmentResult,
} from './order.messages';
import { ORDER_SEARCH_ATTRIBUTES } from './search-attributes';
import { simulateFulfillmentWorkflow, simulationWorkflowId } from './simulate-fulfillment.workflow';

// Infrastructure errors retry with backoff for as long as it takes; business rejections are
// non-retryable ApplicationFailures and reach the workflow at once.
const retry = { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;

// Calls to the outside world (payment provider, carrier) are regular activities: scheduled by the
// server, visible as their own events, retried by it.
const activities = proxyActivities<OrderActivities>({ startToCloseTimeout: '30 seconds', retry });

// Short idempotent database steps (sourcing, reservations, read model) run as local activities: in
// the worker, recorded as one marker each, without a server round trip per step. This roughly
// triples how many orders one server confirms per second (see README, benchmark).
const local = proxyLocalActivities<OrderActivities>({ startToCloseTimeout: '10 seconds', retry });

const DEFAULT_SIM_STEP_MS = 3000;

const nowIso = (): string => new Date().toISOString(); // workflow time: deterministic on replay

const isFailureOfType = (error: unknown, type: string): error is ActivityFailure =>
  error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type;

/**
 * One order, from receipt to completion: source a node that can ship it whole, reserve its stock,
 * authorise the payment, create the fulfilment, wait for the node to ship it (Update) and the
 * carrier to deliver it (signal), capture the payment. The live view is the `getOrder` query.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderView> {
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
        setLineStatus(
          view,
          'shipped',
          fulfillment.lines.map((l) => l.lineId),
        );
        changeStatus(
          view,
          'shipped',
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
        if (view.status !== 'confirmed') {
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

  // Sourcing: the nearest node that can ship the whole order; if a racing order takes its stock first, the next one.
  const { candidates } = await local.planSourcing({ lines: order.lines, delivery: order.delivery });
  let fulfillment: FulfillmentView | undefined;
  for (const nodeId of candidates) {
    const planned: FulfillmentView = {
      fulfillmentId: fulfillmentIdFor(order.orderId, 1),
      nodeId,
      lines: order.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity })),
      status: 'created',
    };
    const reservation = { orderId: order.orderId, nodeId, lines: linesOf(planned) };
    let outcome: 'reserved' | 'insufficient';
    try {
      outcome = await local.reserveOrderAtNode(reservation);
    } catch (error) {
      await local.releaseOrderAtNode(reservation); // the saga's compensation: nothing stays half-reserved
      throw error;
    }
    if (outcome === 'reserved') {
      fulfillment = planned;
      break;
    }
    recordEvent(view, nowIso(), 'sourcing_retry', `${nodeId} no longer has the stock`);
  }
  if (!fulfillment) {
    setLineStatus(view, 'cancelled');
    changeStatus(view, 'cancelled', nowIso(), 'out_of_stock');
    await publish();
    return view;
  }
  setLineStatus(view, 'reserved');
  recordEvent(view, nowIso(), 'stock_reserved', `at ${fulfillment.nodeId}`);
  const reservation = { orderId: order.orderId, nodeId: fulfillment.nodeId, lines: linesOf(fulfillment) };

  // Payment: a decline ends the order and gives the stock back.
  let authorizationId: string;
  try {
    const authorization = await activities.authorizePayment({
      orderId: order.orderId,
      idempotencyKey: authorizationKey(order.orderId),
      token: order.payment.token,
      amountMinor: view.totalMinor,
      currency: order.currency,
    });
    authorizationId = authorization.authorizationId;
    view.payment.status = 'authorized';
    view.payment.authorizedMinor = authorization.amountMinor;
    recordEvent(view, nowIso(), 'payment_authorized', `${authorization.amountMinor} ${order.currency}`);
  } catch (error) {
    await local.releaseOrderAtNode(reservation);
    if (!isFailureOfType(error, FAILURE_TYPES.paymentDeclined)) throw error;
    view.payment.status = 'declined';
    setLineStatus(view, 'cancelled');
    recordEvent(view, nowIso(), 'stock_released', `at ${fulfillment.nodeId}`);
    changeStatus(view, 'payment_failed', nowIso(), error.cause?.message);
    await publish();
    return view;
  }

  // Recorded first, so that once the order shows `confirmed` its fulfilment can already be shipped.
  await local.recordFulfillment({
    fulfillmentId: fulfillment.fulfillmentId,
    orderId: order.orderId,
    nodeId: fulfillment.nodeId,
    lines: order.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity })),
  });
  view.fulfillments.push(fulfillment);
  changeStatus(view, 'confirmed', nowIso());
  recordEvent(view, nowIso(), 'fulfillment_created', `${fulfillment.fulfillmentId} at ${fulfillment.nodeId}`);
  await publish();
  if (input.simulation === 'auto')
    await startSimulation(order.orderId, fulfillment.fulfillmentId, input.simStepMs);

  // Shipping arrives as an Update, tracking as signals; the order moves on once the parcel is delivered.
  const shipped = fulfillment;
  await condition(() => shipped.status === 'delivered');
  setLineStatus(view, 'delivered');
  changeStatus(view, 'delivered', nowIso(), shipped.trackingNumber);
  await publish();

  const capture = await activities.capturePayment({
    idempotencyKey: captureKey(order.orderId, shipped.fulfillmentId),
    authorizationId,
    amountMinor: view.payment.authorizedMinor,
  });
  view.payment.status = 'captured';
  view.payment.capturedMinor += capture.amountMinor;
  recordEvent(view, nowIso(), 'payment_captured', `${capture.amountMinor} ${order.currency}`);
  changeStatus(view, 'completed', nowIso());
  await publish();

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
