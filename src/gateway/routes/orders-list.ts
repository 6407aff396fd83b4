import type { Filter } from 'mongodb';
import { z } from 'zod';
import type { OrderDoc } from '../../db/documents';
import { Channel, Identifier } from '../../domain/order-request';
import { ORDER_STATUSES } from '../../domain/order-view';
import { decodeCursor, encodeCursor } from '../cursor';
import { toOrderView } from '../order-reader';
import { defineRoute } from '../route';
import { OrderViewSchema } from '../schemas/order-view.schema';

export const ListOrdersQuery = z
  .object({
    customerId: Identifier.optional(),
    email: z.string().min(1).max(320).optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    channel: Channel.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page'),
  })
  .strict();

export const OrderPage = z
  .object({ items: z.array(OrderViewSchema), nextCursor: z.string().optional() })
  .describe('A page of orders, newest first');

/** `GET /v1/orders`: the read model, newest first, filtered and paged with an opaque cursor. */
export const listOrdersRoute = defineRoute({
  method: 'get',
  path: '/v1/orders',
  operationId: 'listOrders',
  tag: 'Orders',
  summary: 'List orders, newest first',
  description:
    'From the read model, which the workflows keep current: a just-placed order appears within moments. ' +
    'Pass `nextCursor` back as `cursor` for the next page.',
  roles: ['channel', 'agent', 'admin'],
  query: ListOrdersQuery,
  responses: { 200: { description: 'A page of orders', schema: OrderPage } },
  async handle({ query, deps }) {
    const filter: Filter<OrderDoc> = {};
    if (query.customerId) filter.customerId = query.customerId;
    if (query.email) filter.email = query.email.toLowerCase(); // the read model stores emails lowercased
    if (query.status) filter.status = query.status;
    if (query.channel) filter.channel = query.channel;
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      filter.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }];
    }
    const docs = await deps.collections.orders
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .toArray();
    const page = docs.slice(0, query.limit);
    const last = page.at(-1);
    return {
      status: 200,
      body: {
        items: page.map(toOrderView),
        ...(docs.length > query.limit && last
          ? { nextCursor: encodeCursor([last.createdAt, last._id]) }
          : {}),
      },
    };
  },
});
