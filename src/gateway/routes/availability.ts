import { z } from 'zod';
import { Channel, Identifier } from '../../domain/order-request';
import { createStockRepository } from '../../inventory/stock-repository';
import { defineRoute } from '../route';

export const AvailabilityQuery = z
  .object({
    sku: z
      .union([Identifier, z.array(Identifier).min(1).max(100)])
      .transform((sku) => (Array.isArray(sku) ? [...new Set(sku)] : [sku]))
      .describe('repeat for several SKUs: ?sku=A&sku=B'),
    postalCode: z
      .string()
      .min(1)
      .max(20)
      .optional()
      .describe('accepted; node ranking by distance comes later'),
    channel: Channel.optional().describe('accepted; channel allocations come later'),
  })
  .strict();

export const SkuAvailability = z
  .object({
    sku: z.string(),
    available: z.number().int().describe('what may be sold now across the network'),
    nodes: z.array(z.object({ nodeId: z.string(), available: z.number().int() }).strict()),
  })
  .strict();

export const AvailabilityPage = z
  .object({ items: z.array(SkuAvailability) })
  .describe('One entry per requested SKU, in the order asked (a SKU with no stock anywhere has available 0)');

/** `GET /v1/availability?sku=A&sku=B`: what may be sold now, per SKU and per node. */
export const availabilityRoute = defineRoute({
  method: 'get',
  path: '/v1/availability',
  operationId: 'getAvailability',
  tag: 'Inventory',
  summary: 'Availability per SKU',
  description:
    'Answers `{items: [{sku, available, nodes: [{nodeId, available}]}]}`, one item per requested SKU. ' +
    '`available` = on hand - reserved - safety stock, never below 0.',
  roles: ['channel', 'agent', 'admin'],
  query: AvailabilityQuery,
  responses: { 200: { description: 'Availability per SKU', schema: AvailabilityPage } },
  async handle({ query, deps }) {
    const bySku = await createStockRepository(deps.collections).availabilityFor(query.sku);
    const items = query.sku.map((sku) => {
      const nodes = bySku.get(sku) ?? [];
      return { sku, available: nodes.reduce((sum, node) => sum + node.available, 0), nodes };
    });
    return { status: 200, body: { items } };
  },
});
