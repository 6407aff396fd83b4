import type { Collections } from '../db/collections';
import type { OrderDoc } from '../db/documents';
import { ordersByEmail, ordersById, ordersOfCustomer } from './customer-orders';

/** Where a search term matched. */
export type SearchMatch = 'order_id' | 'email' | 'tracking_number' | 'customer_id' | 'return_id';

export interface OrderSearchResult {
  order: OrderDoc;
  matched: SearchMatch[];
}

/**
 * Finds orders by one term, the way an agent types it: an order id, an email, a tracking number (of a parcel
 * or a return label), a customer id or an RMA id. Each is an `_id` lookup (orders, shipments, customers,
 * returns, the email index); results are newest first, each with what it matched.
 */
export async function searchOrders(c: Collections, term: string, limit = 50): Promise<OrderSearchResult[]> {
  const q = term.trim();
  const found = new Map<string, OrderSearchResult>();
  const add = (orders: readonly OrderDoc[], matched: SearchMatch) => {
    for (const order of orders) {
      const hit = found.get(order._id) ?? { order, matched: [] };
      if (!hit.matched.includes(matched)) hit.matched.push(matched);
      found.set(order._id, hit);
    }
  };
  if (q.includes('@')) {
    add(await ordersByEmail(c, q), 'email');
  } else {
    const [shipment, rma, customer] = await Promise.all([
      c.shipments.findOne({ _id: q }, { projection: { orderId: 1 } }),
      c.returns.findOne({ _id: q }, { projection: { orderId: 1 } }),
      c.customers.findOne({ _id: q }, { projection: { _id: 1 } }),
    ]);
    add(await ordersById(c, [q]), 'order_id');
    if (shipment) add(await ordersById(c, [shipment.orderId]), 'tracking_number');
    if (rma) add(await ordersById(c, [rma.orderId]), 'return_id');
    if (customer) add(await ordersOfCustomer(c, q), 'customer_id');
  }
  return [...found.values()]
    .sort(
      (a, b) => b.order.createdAt.localeCompare(a.order.createdAt) || b.order._id.localeCompare(a.order._id),
    )
    .slice(0, limit);
}
