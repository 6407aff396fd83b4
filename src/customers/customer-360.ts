import type { Collections } from '../db/collections';
import type { OrderDoc } from '../db/documents';
import type { OrderStatus } from '../domain/order-view';
import { STANDARD_CUSTOMER, type CustomerStanding } from '../domain/returns/return-policy';
import { isOpenReturn, type ReturnView } from '../domain/returns/return-view';
import { ordersOfCustomer } from './customer-orders';

/** One order in the customer's list. */
export interface CustomerOrderSummary {
  orderId: string;
  channel: string;
  status: OrderStatus;
  currency: string;
  totalMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  createdAt: string;
  returns: number;
}

/** What the customer spent, per currency: captured minus refunded. */
export interface LifetimeValue {
  currency: string;
  orders: number;
  capturedMinor: number;
  refundedMinor: number;
  netMinor: number;
}

/** Customer service's view of one customer across every channel. */
export interface Customer360 {
  customerId: string;
  name?: string;
  emails: string[];
  standing: CustomerStanding;
  totals: {
    orders: number;
    byChannel: Record<string, number>;
    byStatus: Record<string, number>;
    openReturns: number;
  };
  lifetimeValue: LifetimeValue[];
  orders: CustomerOrderSummary[];
  openReturns: ReturnView[];
}

const count = (values: readonly string[]): Record<string, number> =>
  values.reduce<Record<string, number>>((acc, value) => ({ ...acc, [value]: (acc[value] ?? 0) + 1 }), {});

function summarize(order: OrderDoc): CustomerOrderSummary {
  return {
    orderId: order.orderId,
    channel: order.channel,
    status: order.status,
    currency: order.currency,
    totalMinor: order.totalMinor,
    capturedMinor: order.payment.capturedMinor,
    refundedMinor: order.payment.refundedMinor,
    createdAt: order.createdAt,
    returns: order.returns.length,
  };
}

function lifetimeValue(orders: readonly OrderDoc[]): LifetimeValue[] {
  const byCurrency = new Map<string, LifetimeValue>();
  for (const order of orders) {
    const value = byCurrency.get(order.currency) ?? {
      currency: order.currency,
      orders: 0,
      capturedMinor: 0,
      refundedMinor: 0,
      netMinor: 0,
    };
    value.orders += 1;
    value.capturedMinor += order.payment.capturedMinor;
    value.refundedMinor += order.payment.refundedMinor;
    value.netMinor = value.capturedMinor - value.refundedMinor;
    byCurrency.set(order.currency, value);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** The customer 360 view; undefined when the customer has neither orders nor a profile. */
export async function readCustomer360(c: Collections, customerId: string): Promise<Customer360 | undefined> {
  const [profile, orders] = await Promise.all([
    c.customers.findOne({ _id: customerId }),
    ordersOfCustomer(c, customerId),
  ]);
  if (!profile && orders.length === 0) return undefined;
  const openReturns = orders.flatMap((order) =>
    (order.returns as ReturnView[]).filter((r) => isOpenReturn(r.status)),
  );
  const name = orders.find((order) => order.customer.name)?.customer.name;
  return {
    customerId,
    ...(name ? { name } : {}),
    emails: [...new Set([...(profile?.emails ?? []), ...orders.map((order) => order.email)])].sort(),
    standing: {
      tier: profile?.tier ?? STANDARD_CUSTOMER.tier,
      trustedReturns: profile?.trustedReturns ?? STANDARD_CUSTOMER.trustedReturns,
    },
    totals: {
      orders: orders.length,
      byChannel: count(orders.map((order) => order.channel)),
      byStatus: count(orders.map((order) => order.status)),
      openReturns: openReturns.length,
    },
    lifetimeValue: lifetimeValue(orders),
    orders: orders.map(summarize),
    openReturns,
  };
}
