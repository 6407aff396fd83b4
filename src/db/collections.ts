import type { Collection, Db } from 'mongodb';
import { ensureRetentionIndexes } from './retention';
import type {
  CustomerDoc,
  CustomerEmailDoc,
  DamagedStockDoc,
  FulfillmentDoc,
  IdempotencyDoc,
  InboundDoc,
  InventoryDoc,
  NodeCapacityDoc,
  NodeDoc,
  NotificationDoc,
  NotificationQueueDoc,
  OrderDoc,
  OrderNotificationsDoc,
  ProductDoc,
  ReservationDoc,
  ReturnDoc,
  ShipmentDoc,
  SkuNodesDoc,
  StockLedgerDoc,
  StockWaiterDoc,
} from './documents';

/** Typed handles on every collection the OMS owns. */
export interface Collections {
  nodes: Collection<NodeDoc>;
  products: Collection<ProductDoc>;
  inventory: Collection<InventoryDoc>;
  stockLedger: Collection<StockLedgerDoc>;
  orders: Collection<OrderDoc>;
  fulfillments: Collection<FulfillmentDoc>;
  shipments: Collection<ShipmentDoc>;
  idempotency: Collection<IdempotencyDoc>;
  reservations: Collection<ReservationDoc>;
  inbound: Collection<InboundDoc>;
  stockWaiters: Collection<StockWaiterDoc>;
  skuNodes: Collection<SkuNodesDoc>;
  nodeCapacity: Collection<NodeCapacityDoc>;
  notifications: Collection<NotificationDoc>;
  notificationQueue: Collection<NotificationQueueDoc>;
  orderNotifications: Collection<OrderNotificationsDoc>;
  returns: Collection<ReturnDoc>;
  damagedStock: Collection<DamagedStockDoc>;
  customers: Collection<CustomerDoc>;
  customerEmails: Collection<CustomerEmailDoc>;
}

export function getCollections(db: Db): Collections {
  return {
    nodes: db.collection<NodeDoc>('nodes'),
    products: db.collection<ProductDoc>('products'),
    inventory: db.collection<InventoryDoc>('inventory'),
    stockLedger: db.collection<StockLedgerDoc>('stock_ledger'),
    orders: db.collection<OrderDoc>('orders'),
    fulfillments: db.collection<FulfillmentDoc>('fulfillments'),
    shipments: db.collection<ShipmentDoc>('shipments'),
    idempotency: db.collection<IdempotencyDoc>('idempotency'),
    reservations: db.collection<ReservationDoc>('reservations'),
    inbound: db.collection<InboundDoc>('inbound'),
    stockWaiters: db.collection<StockWaiterDoc>('stock_waiters'),
    skuNodes: db.collection<SkuNodesDoc>('sku_nodes'),
    nodeCapacity: db.collection<NodeCapacityDoc>('node_capacity'),
    notifications: db.collection<NotificationDoc>('notifications'),
    notificationQueue: db.collection<NotificationQueueDoc>('notification_queue'),
    orderNotifications: db.collection<OrderNotificationsDoc>('order_notifications'),
    returns: db.collection<ReturnDoc>('returns'),
    damagedStock: db.collection<DamagedStockDoc>('damaged_stock'),
    customers: db.collection<CustomerDoc>('customers'),
    customerEmails: db.collection<CustomerEmailDoc>('customer_emails'),
  };
}

/** Creates the indexes lists need; hot paths are `_id` lookups (the dev server only uses `_id`/unique indexes). */
export async function ensureIndexes(c: Collections): Promise<void> {
  await c.orders.createIndex({ createdAt: -1, _id: -1 });
  await c.orders.createIndex({ customerId: 1, createdAt: -1 });
  await c.inventory.createIndex({ sku: 1, nodeId: 1 }, { unique: true });
  await c.stockLedger.createIndex({ sku: 1, nodeId: 1, at: 1 });
  await c.reservations.createIndex({ sku: 1, nodeId: 1, state: 1 });
  await c.inbound.createIndex({ sku: 1, expectedAt: 1 });
  await c.stockWaiters.createIndex({ sku: 1 });
  await c.notificationQueue.createIndex({ dueAt: 1 });
  await ensureRetentionIndexes(c.orders.db);
}
