import type { NodeCapacityInput } from '../../activities/capacity.activities';
import { createOrderView } from '../../src/domain/order-state';
import type { OrderRequest } from '../../src/domain/order-request';
import type { OrderView } from '../../src/domain/order-view';
import { createPaymentAccount, type PaymentAccount } from '../../src/domain/payment-account';
import type { FulfillmentLine } from '../fulfillment.messages';

/**
 * Where the main flow of a v2 order stands:
 * `sourcing` → `authorizing` (→ `awaiting_payment` while the provider decides, → `awaiting_review` during
 * a fraud review) → `confirming` → `running` (fulfilments, backorders) → `closed`.
 */
export type Phase =
  | 'sourcing'
  | 'authorizing'
  | 'awaiting_payment'
  | 'awaiting_review'
  | 'confirming'
  | 'running'
  | 'closed';

/** What the order keeps about one fulfilment besides its view: the reserved units and the money. */
export interface PartRecord {
  fulfillmentId: string;
  nodeId: string;
  method: 'ship' | 'pickup';
  /** Units with the reservation key each was reserved under (current quantities). */
  lines: FulfillmentLine[];
  /** The node capacity this fulfilment took. */
  capacity?: NodeCapacityInput;
  /** Its child workflow has been started. */
  started: boolean;
  /** Its share has been captured (or was paid by the parcel it replaces). */
  paid: boolean;
  /** The parent has finished with it: released, written off, settled. */
  settled: boolean;
}

/** Counters that make every idempotency key and outbox subject unique and deterministic. */
export interface KeyCounters {
  authorization: number;
  void: number;
  refund: number;
  change: number;
  hold: number;
}

/** Everything a v2 order run carries, and hands over intact when it continues as new. */
export interface OrderCheckpoint {
  order: OrderRequest;
  phase: Phase;
  view: OrderView;
  account: PaymentAccount;
  parts: PartRecord[];
  nextFulfillment: number;
  counters: KeyCounters;
  /** SKUs the order is registered as a stock waiter on. */
  waitingSkus: string[];
  /** When the backorders were last re-checked against the network. */
  backordersCheckedAt?: string;
  /** When to ask the provider about a pending authorisation next. */
  paymentPollAt?: string;
  /** Payment provider events already applied (deduplication). */
  seenPaymentEvents: string[];
  /**
   * The operations (our idempotency keys) provider events named, so an answer that comes back `pending`
   * after its webhook is looked up at once. Absent in checkpoints carried from runs before it existed.
   */
  paymentEventReferences?: string[];
}

/** The checkpoint of a new order, as received. */
export function createCheckpoint(order: OrderRequest, receivedAt: string, actor: string): OrderCheckpoint {
  const view = createOrderView(order, receivedAt, actor);
  view.payment.voidedMinor = 0;
  view.backorders = [];
  return {
    order,
    phase: 'sourcing',
    view,
    account: createPaymentAccount(),
    parts: [],
    nextFulfillment: 1,
    counters: { authorization: 0, void: 0, refund: 0, change: 0, hold: 0 },
    waitingSkus: [],
    seenPaymentEvents: [],
    paymentEventReferences: [],
  };
}
