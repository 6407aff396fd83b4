import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Address, OrderRequest } from '../src/domain/order-request';
import type { FulfillmentView, OrderView } from '../src/domain/order-view';
import type { LifecycleSettings } from './order/lifecycle-settings';
import type { OrderCheckpoint } from './order/run-state';

/** How node staff, carriers and the payment provider behave: by themselves, or only when told over HTTP. */
export type SimulationMode = 'auto' | 'manual';

/** Everything the order workflow starts from; the gateway builds it from a validated request. */
export interface OrderWorkflowInput {
  order: OrderRequest;
  /** sha256 of the canonical request body: a second POST with another body is a conflict. */
  requestHash: string;
  receivedAt: string;
  simulation: SimulationMode;
  /** Who placed the order (the API key's role and id), for the audit trail. */
  actor: string;
  /** Milliseconds between simulated steps in auto simulation (config OMS_SIM_STEP_MS); 3000 when absent. */
  simStepMs?: number;
  /** Waiting rules of the v2 lifecycle (backorder limit, hold escalation…); defaults for what is left out. */
  lifecycle?: Partial<LifecycleSettings>;
  /** Set when a v2 run continued as new: the state it carries over (the order, view, money, parts). */
  continued?: OrderCheckpoint;
}

/** The workflow type name clients start. */
export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';

export const orderWorkflowId = (orderId: string): string => `order:${orderId}`;

/** The live order view. */
export const getOrderQuery = defineQuery<OrderView>('getOrder');

export interface ShipFulfillmentRequest {
  fulfillmentId: string;
  actor: string;
}
export interface ShipFulfillmentResult {
  fulfillmentId: string;
  trackingNumber: string;
  carrier: string;
}
/** Why the order refuses a ship request: the `type` of the ApplicationFailure its validator throws. */
export const SHIP_REJECTIONS = {
  unknownFulfillment: 'UnknownFulfillment',
  alreadyShipped: 'AlreadyShipped',
  wrongState: 'InvalidOrderState',
} as const;

/** Node staff hand a parcel to the carrier; the answer is the workflow's own decision. */
export const shipFulfillmentUpdate = defineUpdate<ShipFulfillmentResult, [ShipFulfillmentRequest]>(
  'shipFulfillment',
);

export const CARRIER_EVENTS = ['in_transit', 'delivered', 'exception'] as const;
export type CarrierEventType = (typeof CARRIER_EVENTS)[number];
export interface CarrierEvent {
  trackingNumber: string;
  fulfillmentId: string;
  event: CarrierEventType;
  at: string;
}
/** A tracking event reported by the carrier webhook. */
export const carrierEventSignal = defineSignal<[CarrierEvent]>('carrierEvent');

// ---- Order lifecycle v2 (issue 4): agent Updates, child and provider signals ----

/** Why the order refuses an agent's request: the ApplicationFailure `type` its validators throw. */
export const ORDER_REJECTIONS = {
  /** The request names lines or fulfilments the order does not have: HTTP 422. */
  invalidRequest: 'InvalidOrderRequest',
  /** The state forbids it (already shipped, closed, not on hold…): HTTP 409. */
  notAllowed: 'NotAllowedInState',
  /** Not enough stock to raise a quantity: HTTP 409. */
  insufficientStock: 'InsufficientStock',
} as const;

export interface CancelOrderRequest {
  /** Lines to cancel entirely; the whole order when absent. */
  lineIds?: string[];
  reason: string;
  actor: string;
}
/** Whole or partial cancellation with compensation; answers the order view afterwards. */
export const cancelOrderUpdate = defineUpdate<OrderView, [CancelOrderRequest]>('cancelOrder');

/** A line an agent adds to a placed order; the order names it when `lineId` is absent. */
export interface AddedLine {
  lineId?: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

/** Carrier service level of a shipped order. */
export type DeliverySpeedChange = 'standard' | 'express';

export interface ModifyOrderRequest {
  address?: Address;
  /** New quantities per line (a line not named keeps its quantity). */
  lines?: { lineId: string; quantity: number }[];
  /** New lines: reserved now (not backordered) and authorised on top. */
  addLines?: AddedLine[];
  /** New carrier service level for the parcels that have not left yet. */
  speed?: DeliverySpeedChange;
  actor: string;
}
/**
 * An agent's change (address before shipment, quantities before the line ships, added lines, delivery
 * speed); answers the order view.
 */
export const modifyOrderUpdate = defineUpdate<OrderView, [ModifyOrderRequest]>('modifyOrder');

export interface HoldRequest {
  reason: string;
  actor: string;
}
/** A manual hold: nothing ships until it is released; answers the order view. */
export const placeHoldUpdate = defineUpdate<OrderView, [HoldRequest]>('placeHold');
/** Releases the hold (manual or fraud review): the order continues where it stopped. */
export const releaseHoldUpdate = defineUpdate<OrderView, [{ actor: string; reason?: string }]>('releaseHold');

export interface ResolveExceptionRequest {
  fulfillmentId: string;
  /** A lost or damaged parcel: send the units again, or refund them. */
  action: 'reship' | 'refund';
  actor: string;
}
/** An agent decides what happens after a carrier exception; answers the order view. */
export const resolveExceptionUpdate = defineUpdate<OrderView, [ResolveExceptionRequest]>('resolveException');

/** A fulfilment child reports its view after every change (its final status included). */
export const fulfillmentChangedSignal = defineSignal<[FulfillmentView]>('fulfillmentChanged');

/** An asynchronous payment provider outcome for this order (from the payment webhook). */
export interface PaymentEvent {
  eventId: string;
  type:
    | 'authorized'
    | 'declined'
    | 'captured'
    | 'capture_failed'
    | 'refunded'
    | 'refund_failed'
    | 'chargeback';
  /** The provider's operation it answers: our idempotency key for it. */
  reference?: string;
  amountMinor?: number;
  at: string;
}
export const paymentEventSignal = defineSignal<[PaymentEvent]>('paymentEvent');
