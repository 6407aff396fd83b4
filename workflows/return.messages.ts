import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Address, Delivery } from '../src/domain/order-request';
import type { RefundSource } from '../src/domain/returns/return-money';
import type { ReturnTerms } from '../src/domain/returns/return-policy';
import type {
  AppeasementView,
  ExchangeLineView,
  ReceiptLine,
  ReturnLineView,
  ReturnMethod,
  ReturnView,
} from '../src/domain/returns/return-view';
import type { CarrierEvent, SimulationMode } from './order.messages';

/**
 * The protocol of returns: the order's Updates (`requestReturn`, `grantAppeasement`, registered by the
 * plug-in in workflows/returns/order-returns.ts) and the RMA child workflow `return:<rmaId>`.
 *
 * Ownership: the order decides whether units may come back (it knows what was delivered, when, and what was
 * returned already) and owns the payment account; the RMA child owns the return itself (label, waiting for
 * the parcel or the store visit, expiry, inspection, restock, refund, the exchange's replacement) and reports
 * its view to the order with `returnChangedSignal` after every change, money movements included.
 */

export const RETURN_WORKFLOW_TYPE = 'returnWorkflow';
export const returnWorkflowId = (rmaId: string): string => `return:${rmaId}`;
/** The n-th RMA of an order. */
export const rmaIdFor = (orderId: string, n: number): string => `${orderId}-R${n}`;
/** The n-th appeasement of an order. */
export const appeasementIdFor = (orderId: string, n: number): string => `${orderId}-A${n}`;

export interface ReturnRequestLine {
  lineId: string;
  quantity: number;
  /** Why (a code such as `wrong_size`, `defective`, or words); recorded on the RMA. */
  reason: string;
}

/** A replacement for a returned line: another SKU of the same product family, as many units as returned. */
export interface ExchangeRequestLine {
  lineId: string;
  sku: string;
}

export interface RequestReturnRequest {
  lines: ReturnRequestLine[];
  method: ReturnMethod;
  actor: string;
  exchange?: { lines: ExchangeRequestLine[] };
}
/** Opens an RMA for delivered units within their window; answers the RMA view (refusals: RETURN_REJECTIONS). */
export const requestReturnUpdate = defineUpdate<ReturnView, [RequestReturnRequest]>('requestReturn');

export interface GrantAppeasementRequest {
  /** The line it is for; the whole order when absent. */
  lineId?: string;
  amountMinor: number;
  reasonCode: string;
  actor: string;
  /** The granting role: its cap applies. */
  role: string;
}
/** An agent's goodwill credit, refunded at once; answers the appeasement (refusals: RETURN_REJECTIONS). */
export const grantAppeasementUpdate = defineUpdate<AppeasementView, [GrantAppeasementRequest]>(
  'grantAppeasement',
);

/** The RMA child reports its view to the order after every change (its final status included). */
export const returnChangedSignal = defineSignal<[ReturnView]>('returnChanged');

export interface ReturnWorkflowInput {
  rmaId: string;
  orderId: string;
  /** The order's workflow id, which receives `returnChangedSignal`. */
  parentWorkflowId: string;
  customer: { id: string; email: string; name?: string };
  currency: string;
  channel: string;
  method: ReturnMethod;
  lines: ReturnLineView[];
  actor: string;
  /** Workflow time of the request at the order (the RMA's creation time). */
  requestedAt: string;
  /** Where a mail return leaves from (the order's address). */
  from?: Address;
  /** Where a replacement goes (the order's delivery). */
  delivery: Delivery;
  /** Charges (a price difference, an instant refund reversed) use the order's payment token. */
  paymentToken: string;
  /** Captured money the refunds draw on, the returned units' fulfilments first. */
  refundSources: RefundSource[];
  terms: ReturnTerms;
  /** Replacements at catalogue prices, when the customer asked for an exchange. */
  exchange?: ExchangeLineView[];
  simulation: SimulationMode;
  simStepMs?: number;
}

/** The RMA's live view. */
export const getReturnQuery = defineQuery<ReturnView>('getReturn');

export interface ReceiveReturnRequest {
  nodeId: string;
  lines: ReceiptLine[];
  actor: string;
}
/**
 * The units arrived at a node and were inspected: sellable ones are back in stock there before this answers,
 * damaged ones go to the non-sellable bucket; the refund (and the exchange's replacement) follow. Refused with
 * `AlreadyReceived` the second time, `ReturnClosed` once expired.
 */
export const receiveReturnUpdate = defineUpdate<ReturnView, [ReceiveReturnRequest]>('receiveReturn');

/** A carrier tracking event for the return parcel (the carrier webhook finds the RMA by its tracking number). */
export const returnCarrierEventSignal = defineSignal<[CarrierEvent]>('carrierEvent');
