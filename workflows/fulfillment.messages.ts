import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Address } from '../src/domain/order-request';
import type { FulfillmentView } from '../src/domain/order-view';
import type { CarrierEvent, SimulationMode } from './order.messages';

/**
 * The protocol of the fulfilment child workflow `fulfillment:<fulfillmentId>` (one per parcel or
 * pickup), shared by its parent order, the gateway and the simulation.
 *
 * Ownership: the parent order owns the reservations, the node capacity and the money; the child owns
 * what happens at the node and on the road (pick/pack, carrier booking, tracking, pickup window) and
 * consumes the reserved stock when the parcel leaves (or is picked up). The child reports every change
 * of its view to the parent with `fulfillmentChangedSignal` (defined in order.messages.ts) and ends in
 * a final status: delivered, picked_up, not_collected, cancelled, rejected, or exception (when the
 * parent decides what happens to a lost parcel, it starts a new fulfilment or refunds).
 */

export const FULFILLMENT_WORKFLOW_TYPE = 'fulfillmentWorkflow';
export const fulfillmentWorkflowId = (fulfillmentId: string): string => `fulfillment:${fulfillmentId}`;

/** One line of the fulfilment, with the reservation key the parent reserved its units under. */
export interface FulfillmentLine {
  lineId: string;
  sku: string;
  quantity: number;
  reservationKey: string;
}

export interface FulfillmentWorkflowInput {
  orderId: string;
  /** The parent's workflow id, which receives `fulfillmentChangedSignal`. */
  parentWorkflowId: string;
  fulfillmentId: string;
  nodeId: string;
  method: 'ship' | 'pickup';
  lines: FulfillmentLine[];
  /** Where a parcel goes (absent for pickup). */
  address?: Address;
  /** The parent is on hold when the child starts: nothing ships until it is released. */
  onHold: boolean;
  /**
   * The pickup store, when it is not `nodeId` (click-and-collect from another node): the node ships the
   * units to it first (`ship`); the store makes the parcel ready once it has them.
   */
  transferTo?: string;
  /** Days a pickup parcel waits at the store once ready; 7 when absent. */
  pickupWindowDays?: number;
  simulation: SimulationMode;
  simStepMs?: number;
}

/** The child's live view (the same shape the order view lists under `fulfillments`). */
export const getFulfillmentQuery = defineQuery<FulfillmentView>('getFulfillment');

/** Why the child refuses a request: the `type` of the ApplicationFailure its validators throw. */
export const FULFILLMENT_REJECTIONS = {
  alreadyShipped: 'AlreadyShipped',
  onHold: 'OrderOnHold',
  wrongState: 'InvalidFulfillmentState',
  wrongMethod: 'WrongFulfillmentMethod',
  unknownLine: 'UnknownLine',
  /** A line named with zero units, or more units than the fulfilment still has of it. */
  invalidQuantity: 'InvalidQuantity',
} as const;

/** Who asks (an API key's `role:label`), for the audit trail. */
export interface ActorRequest {
  actor: string;
}

export interface ShipResult {
  fulfillmentId: string;
  trackingNumber: string;
  carrier: string;
  labelUrl?: string;
  /** The day the carrier expects to deliver (YYYY-MM-DD), from its transit days by distance band. */
  expectedDeliveryDate?: string;
}
/**
 * Node staff hand the parcel to the carrier: books a label, consumes the stock, answers the tracking number.
 * For a pickup part from another node this ships the transfer leg to the pickup store (nothing is captured).
 */
export const shipUpdate = defineUpdate<ShipResult, [ActorRequest]>('ship');
/** A pickup parcel is ready at the store: the pickup window starts and the customer is told. */
export const readyForPickupUpdate = defineUpdate<FulfillmentView, [ActorRequest]>('readyForPickup');
/** The customer collected the parcel: the stock is consumed and the parent captures its share. */
export const pickedUpUpdate = defineUpdate<FulfillmentView, [ActorRequest]>('pickedUp');

export interface RejectRequest extends ActorRequest {
  reason: string;
}
/** The node cannot serve it (stock not on the shelf): the parent sources the units elsewhere. */
export const rejectUpdate = defineUpdate<FulfillmentView, [RejectRequest]>('reject');

export interface CancelLinesRequest extends ActorRequest {
  /** Units to take off this fulfilment per line; the whole fulfilment when absent. */
  lines?: { lineId: string; quantity: number }[];
  reason: string;
}
/**
 * Sent by the parent (through an activity) when lines are cancelled or reduced: refused with
 * `AlreadyShipped` once the parcel has left, so the parent's answer to the agent is linearizable.
 * Answers the fulfilment as it is afterwards (`cancelled` when no unit is left).
 */
export const cancelLinesUpdate = defineUpdate<FulfillmentView, [CancelLinesRequest]>('cancelLines');

/** The parent changes the destination (address change before shipment). */
export const changeAddressUpdate = defineUpdate<FulfillmentView, [ActorRequest & { address: Address }]>(
  'changeAddress',
);

/** The parent order was put on hold (true) or released (false): nothing ships or is handed over while held. */
export const holdSignal = defineSignal<[{ onHold: boolean }]>('hold');

/** A carrier tracking event with who reported it (the carrier's API key `role:label`; `carrier` when absent). */
export interface FulfillmentCarrierEvent extends CarrierEvent {
  actor?: string;
}
/** A carrier tracking event for this fulfilment's parcel (from the carrier webhook). */
export const fulfillmentCarrierEventSignal = defineSignal<[FulfillmentCarrierEvent]>('carrierEvent');

/**
 * What the child signals its parent (`fulfillmentChangedSignal`): its view, and who made the change — node
 * staff's or the carrier's API key (`role:label`), `carrier`, or `system` (the pickup window) — for the
 * order's timeline. The order keeps `actor` off its own view of the fulfilment.
 */
export type ReportedFulfillmentView = FulfillmentView & { actor?: string };

export interface CloseFulfillmentRequest extends ActorRequest {
  /** What the agent decided for the lost or damaged parcel (the parent reships or refunds the units). */
  resolution: 'reship' | 'refund';
}
/**
 * After a carrier `exception` the child waits (a late `delivered` still ends it as delivered). The parent
 * sends this once an agent has decided: the child ends in `exception`, for good. Refused unless in exception.
 */
export const closeFulfillmentUpdate = defineUpdate<FulfillmentView, [CloseFulfillmentRequest]>('close');
