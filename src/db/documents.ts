import type { OrderView } from '../domain/order-view';
import type { ReturnView } from '../domain/returns/return-view';
import type { NotificationEvent, NotificationRecipient } from '../notifications/notification-events';

export const NODE_TYPES = ['warehouse', 'store', 'dropship'] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export const NODE_CAPABILITIES = ['ship', 'pickup', 'return'] as const;
export type NodeCapability = (typeof NODE_CAPABILITIES)[number];

/** A fulfilment node: warehouse, store or drop-ship vendor. `_id` is the nodeId. */
export interface NodeDoc {
  _id: string;
  name: string;
  type: NodeType;
  location: { lat: number; lon: number; postalCode: string; country: string };
  capabilities: NodeCapability[];
  dailyOrderCapacity?: number;
  priority?: number;
  updatedAt: string;
}

/** A catalogue entry. `_id` is the SKU. */
export interface ProductDoc {
  _id: string;
  name: string;
  priceMinor: number;
  currency: string;
  weightGrams: number;
  returnWindowDays?: number;
  updatedAt: string;
}

/**
 * Stock of one SKU at one node. `_id` is `${sku}@${nodeId}` so every hot read is an `_id` lookup.
 * `available` (= onHand - reserved - safetyStock - heldTotal) is materialised so a reservation is one
 * atomic conditional update (`available >= q` and `$inc`); `reservations` holds each live reservation by
 * its deterministic key, which makes reserve and release idempotent inside that same update.
 * Every writer keeps `onHand >= reserved + heldTotal`: held units are always backed by stock.
 */
export interface InventoryDoc {
  _id: string;
  sku: string;
  nodeId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  available: number;
  /** Live reservations by key; a bare number is an entry written before reservations had pools. */
  reservations: Record<string, number | ReservationEntry>;
  /** Units set aside for one pool (`channel:marketplace`, `segment:vip`) and not yet reserved. */
  holds?: Record<string, number>;
  /** Sum of `holds`: excluded from `available`. */
  heldTotal?: number;
  /** Movements applied here whose ledger line (and reservation document) may not be written yet. */
  pending?: Record<string, PendingMovement>;
  /** Per inbound shipment, the last receipt sequence number added to `onHand` (a receipt counts once). */
  receiptSeqs?: Record<string, number>;
  updatedAt: string;
}

/** One live reservation inside an inventory document. */
export interface ReservationEntry {
  quantity: number;
  /** Random per reservation instance: a key reserved again after a release gets new ledger ids. */
  nonce: string;
  /** Units taken from holds, by pool; the rest came from general availability. */
  pools?: Record<string, number>;
  at: string;
}

/** A movement's follow-up writes, stored in the same atomic update as the movement (an outbox). */
export interface PendingMovement {
  ledger: StockLedgerDoc[];
  reservation?: ReservationDoc;
}

export const inventoryId = (sku: string, nodeId: string): string => `${sku}@${nodeId}`;

export const STOCK_MOVEMENTS = [
  'receipt',
  'adjustment',
  'cycle_count',
  'reserve',
  'release',
  'ship',
  'return',
  'hold',
  'hold_release',
] as const;
export type StockMovement = (typeof STOCK_MOVEMENTS)[number];

/** One line of the append-only stock ledger; `_id` is deterministic so a retried movement is written once. */
export interface StockLedgerDoc {
  _id: string;
  sku: string;
  nodeId: string;
  movement: StockMovement;
  onHandDelta: number;
  reservedDelta: number;
  /** Change of each hold touched (set or released, reservations taken from or given back to it). */
  pools?: Record<string, number>;
  reason: string;
  source: string;
  at: string;
}

export const RESERVATION_STATES = ['active', 'released', 'consumed'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

/**
 * One reservation as a document of its own, for reading and auditing; the embedded entry in the inventory
 * document stays the source of truth. `_id` is reservationDocId(sku, nodeId, key). `version` orders the
 * writes (reservation time in ms, doubled, +1 once settled) so a late write never goes back in time.
 */
export interface ReservationDoc {
  _id: string;
  key: string;
  sku: string;
  nodeId: string;
  quantity: number;
  pools: Record<string, number>;
  state: ReservationState;
  nonce: string;
  version: number;
  source: string;
  reservedAt: string;
  settledAt?: string;
  updatedAt: string;
}

/** Reservation keys are unique per stock record, so the document id carries the record too. */
export const reservationDocId = (sku: string, nodeId: string, key: string): string =>
  `${inventoryId(sku, nodeId)}:${key}`;

export const INBOUND_STATUSES = ['expected', 'partially_received', 'received'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

/** One receipt against an inbound shipment; `seq` counts from 1 and orders how receipts reach `onHand`. */
export interface InboundReceipt {
  seq: number;
  quantity: number;
  /** Fingerprint of the request's Idempotency-Key: a retried receive finds its receipt instead of adding one. */
  requestKey?: string;
  at: string;
  source: string;
}

/** Supply on its way to a node. `_id` is the inboundId. */
export interface InboundDoc {
  _id: string;
  sku: string;
  nodeId: string;
  quantity: number;
  expectedAt: string;
  receivedQuantity: number;
  status: InboundStatus;
  receipts: InboundReceipt[];
  /** Receipts up to this seq are known to be in `onHand` (a hint: the inventory's receiptSeqs decides). */
  appliedSeq: number;
  /** Set with each receipt, cleared once every waiter of the SKU was told: a wake-up still owed (outbox). */
  wakePending?: boolean;
  /** Receipts up to this seq have had their waiters told. */
  wokenSeq?: number;
  source: string;
  createdAt: string;
  updatedAt: string;
}

/** An order waiting for a SKU to arrive. `_id` is `${sku}:${orderId}`. */
export interface StockWaiterDoc {
  _id: string;
  sku: string;
  orderId: string;
  workflowId: string;
  registeredAt: string;
}

/** Which nodes hold a record of a SKU, so availability reads are `_id` lookups. `_id` is the SKU. */
export interface SkuNodesDoc {
  _id: string;
  nodeIds: string[];
  /** Every inbound shipment of the SKU (`inbound` ids), so supply reads are `_id` lookups too. */
  inboundIds?: string[];
  /** `stock_waiters` ids of the orders waiting for the SKU, so a receipt finds them by `_id`. */
  waiterIds?: string[];
}

/**
 * Orders one node has taken on one day (UTC), against its daily order capacity. `_id` is `${nodeId}:${day}`;
 * `orders` names each order once, so claiming and releasing are idempotent single-document updates.
 */
export interface NodeCapacityDoc {
  _id: string;
  nodeId: string;
  /** YYYY-MM-DD, UTC. */
  day: string;
  used: number;
  /** The node's daily order capacity when last claimed; absent when it has none. */
  capacity?: number;
  orders: Record<string, 1>;
  updatedAt: string;
}

/** The order read model: the last view the workflow published, plus fields to filter on. */
export interface OrderDoc extends OrderView {
  _id: string;
  customerId: string;
  email: string;
  requestHash: string;
}

/** Maps a fulfilment (and, once shipped, its tracking number) back to its order. `_id` is the fulfilmentId. */
export interface FulfillmentDoc {
  _id: string;
  orderId: string;
  nodeId: string;
  lines: { lineId: string; sku: string; quantity: number }[];
  trackingNumber?: string;
  carrier?: string;
  /** The fulfilment child workflow that owns it (`fulfillment:<id>`); absent for fulfilments of v1 orders. */
  workflowId?: string;
  /** `ship` (a parcel) or `pickup` (click-and-collect); absent means ship. */
  method?: 'ship' | 'pickup';
  createdAt: string;
}

/** Tracking number → fulfilment, so carrier webhooks are an `_id` lookup. */
export interface ShipmentDoc {
  _id: string;
  fulfillmentId: string;
  orderId: string;
  /** The fulfilment child workflow that receives its tracking events; absent for v1 orders (the order does). */
  workflowId?: string;
  /** The day the carrier expects to deliver (YYYY-MM-DD), from its transit days by distance band. */
  expectedDeliveryDate?: string;
  carrier: string;
  labelUrl: string;
  createdAt: string;
}

/** A replayable answer to a POST carrying an Idempotency-Key. */
export interface IdempotencyDoc {
  _id: string;
  requestHash: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  createdAt: string;
  /** When MongoDB may drop the record (TTL index, `src/db/retention.ts`). */
  expireAt?: Date;
}

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One entry of the notification outbox. `_id` is `${orderId}:${event}:${subject}` (notificationId), so an
 * enqueue is inserted exactly once; the dispatcher moves it pending → sending (a leased claim) → sent, or
 * back to pending with a later `dueAt` after a failed send, or to failed when it can never be sent.
 */
export interface NotificationDoc {
  _id: string;
  orderId: string;
  event: NotificationEvent;
  /** The request's `subject`: what tells repeats of one event apart (e.g. a fulfilmentId); '' when none. */
  repeatKey: string;
  to: NotificationRecipient;
  data: Record<string, string | number>;
  status: NotificationStatus;
  /** Send attempts started (each claim counts one). */
  attempts: number;
  /** When a pending entry may be claimed (later after each failure: backoff). */
  dueAt: string;
  /** While `sending`: the claim's own token and when the claim lapses. */
  claim?: { token: string; until: string };
  /** The rendered subject line, once rendered. */
  subject?: string;
  lastError?: string;
  createdAt: string;
  sentAt?: string;
  updatedAt: string;
}

/**
 * The outbox ids of one order, so the order's notifications are read by `_id` lookups (the dev server uses its
 * `_id` index for `$in` but scans for an `_id` range or any other field). `_id` is the orderId.
 */
export interface OrderNotificationsDoc {
  _id: string;
  ids: string[];
  updatedAt: string;
}

/**
 * A pointer to an outbox entry that is not sent yet, so the dispatcher finds due work without scanning the
 * whole outbox (the dev server looks up only by `_id` and unique indexes). `_id` is the notification id. A hint only says where
 * to look: the outbox entry decides, and a stale hint (entry sent, or not due yet) is dropped or moved on read.
 */
export interface NotificationQueueDoc {
  _id: string;
  /** When the entry should next be looked at. */
  dueAt: string;
}

/** The RMA read model: the last view its workflow published, so it reads after the workflow has closed. `_id` is the rmaId. */
export interface ReturnDoc extends ReturnView {
  _id: string;
}

/**
 * Returned units found not sellable at one node: kept apart from `inventory` (never available). `_id` is
 * `${sku}@${nodeId}`; `receipts` counts each receipt once by its key (`<rmaId>:<lineId>`).
 */
export interface DamagedStockDoc {
  _id: string;
  sku: string;
  nodeId: string;
  units: number;
  receipts: Record<string, number>;
  updatedAt: string;
}

export const CUSTOMER_TIERS = ['standard', 'vip'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

/**
 * A customer as customer service sees them: their order ids across channels (so the 360 view is `_id`
 * lookups), the emails they ordered with, and the standing return rules use. `_id` is the customerId.
 */
export interface CustomerDoc {
  _id: string;
  orderIds: string[];
  emails: string[];
  tier?: CustomerTier;
  /** Trusted customers are refunded when a return is created, before the parcel arrives. */
  trustedReturns?: boolean;
  updatedAt: string;
}

/** Email (lowercased) → the customers who ordered with it, so a search by email is an `_id` lookup. */
export interface CustomerEmailDoc {
  _id: string;
  customerIds: string[];
}
