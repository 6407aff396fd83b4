import type { OrderView } from '../domain/order-view';

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
 * `available` (= onHand - reserved - safetyStock) is materialised so a reservation is one atomic
 * conditional update (`available >= q` and `$inc`); `reservations` holds each live reservation by
 * its deterministic key, which makes reserve and release idempotent inside that same update.
 */
export interface InventoryDoc {
  _id: string;
  sku: string;
  nodeId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  available: number;
  reservations: Record<string, number>;
  updatedAt: string;
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
  reason: string;
  source: string;
  at: string;
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
  createdAt: string;
}

/** Tracking number → fulfilment, so carrier webhooks are an `_id` lookup. */
export interface ShipmentDoc {
  _id: string;
  fulfillmentId: string;
  orderId: string;
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
}
