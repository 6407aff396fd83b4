import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderRequest } from '../src/domain/order-request';
import type { OrderView } from '../src/domain/order-view';

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
