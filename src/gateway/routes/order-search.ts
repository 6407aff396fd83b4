import { z } from 'zod';
import { searchOrders } from '../../customers/order-search';
import { toOrderView } from '../order-reader';
import { defineRoute } from '../route';
import { OrderViewSchema } from '../schemas/order-view.schema';

export const OrderSearchQuery = z
  .object({
    q: z
      .string()
      .trim()
      .min(1)
      .max(320)
      .describe('an order id, email, tracking number, customer id or RMA id'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const OrderSearchPage = z
  .object({
    items: z.array(
      z.object({
        matched: z.array(z.enum(['order_id', 'email', 'tracking_number', 'customer_id', 'return_id'])),
        order: OrderViewSchema,
      }),
    ),
  })
  .describe('Matching orders, newest first, each with what it matched');

/** `GET /v1/orders/search?q=`: one box for customer service, every lookup an `_id` read. */
export const searchOrdersRoute = defineRoute({
  method: 'get',
  path: '/v1/orders/search',
  operationId: 'searchOrders',
  tag: 'Customer service',
  summary: 'Find orders by order id, email, tracking number, customer id or RMA id',
  description:
    'From the read model: an email finds every order placed with it (across customers and channels); a ' +
    'tracking number finds the order of the parcel or of the return label.',
  roles: ['agent', 'admin'],
  query: OrderSearchQuery,
  responses: { 200: { description: 'Matching orders', schema: OrderSearchPage } },
  async handle({ query, deps }) {
    const results = await searchOrders(deps.collections, query.q, query.limit);
    return {
      status: 200,
      body: { items: results.map(({ order, matched }) => ({ matched, order: toOrderView(order) })) },
    };
  },
});
