import type { Collections } from '../db/collections';
import type { OrderDoc } from '../db/documents';

const newestFirst = (a: OrderDoc, b: OrderDoc): number =>
  b.createdAt.localeCompare(a.createdAt) || b._id.localeCompare(a._id);

/** Orders by id (`_id` lookups), newest first. */
export async function ordersById(c: Collections, orderIds: readonly string[]): Promise<OrderDoc[]> {
  if (orderIds.length === 0) return [];
  const docs = await c.orders.find({ _id: { $in: [...new Set(orderIds)] } }).toArray();
  return docs.sort(newestFirst);
}

/**
 * Every order of a customer: through the customer index (`customers`, `_id` lookups) when it lists them,
 * else by the read model's `customerId` field (indexed on MongoDB, a scan on the dev server) for orders
 * placed before the index existed.
 */
export async function ordersOfCustomer(c: Collections, customerId: string): Promise<OrderDoc[]> {
  const indexed = await c.customers.findOne({ _id: customerId }, { projection: { orderIds: 1 } });
  if (indexed && indexed.orderIds.length > 0) return ordersById(c, indexed.orderIds);
  return (await c.orders.find({ customerId }).toArray()).sort(newestFirst);
}

/** Every order placed with an email (lowercased): through the email index when it knows it, else by field. */
export async function ordersByEmail(c: Collections, email: string): Promise<OrderDoc[]> {
  const key = email.toLowerCase();
  const indexed = await c.customerEmails.findOne({ _id: key });
  if (indexed && indexed.customerIds.length > 0) {
    const customers = await c.customers
      .find({ _id: { $in: indexed.customerIds } }, { projection: { orderIds: 1 } })
      .toArray();
    const orders = await ordersById(
      c,
      customers.flatMap((customer) => customer.orderIds),
    );
    return orders.filter((order) => order.email === key);
  }
  return (await c.orders.find({ email: key }).toArray()).sort(newestFirst);
}
