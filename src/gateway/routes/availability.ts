import { z } from 'zod';
import { createAvailabilityService } from '../../availability/availability-service';
import { Channel, Identifier } from '../../domain/order-request';
import { defineRoute } from '../route';
import { bothOrNeither, Segment, SkuAvailabilityView } from '../schemas/availability.schema';

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
      .describe('where the customer is: nodes come nearest first, with distanceKm'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as FR')
      .optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    channel: Channel.optional().describe('the selling channel: stock held for it counts as available'),
    segment: Segment.optional(),
  })
  .strict()
  .refine(bothOrNeither, { message: 'give lat and lon together', path: ['lat'] });

export const AvailabilityPage = z
  .object({ items: z.array(SkuAvailabilityView) })
  .describe('One entry per requested SKU, in the order asked (a SKU with no stock anywhere has available 0)');

/** `GET /v1/availability?sku=A&sku=B`: what the asking channel/segment may sell now, per SKU and per node. */
export const availabilityRoute = defineRoute({
  method: 'get',
  path: '/v1/availability',
  operationId: 'getAvailability',
  tag: 'Inventory',
  summary: 'Availability per SKU',
  description:
    'Answers `{items: [{sku, available, nodes: [{nodeId, available}], nextInbound?}]}`, one item per requested ' +
    'SKU. `available` = on hand - reserved - safety stock - what is held for other channels or segments, ' +
    'never below 0: units held for the given `channel` or `segment` count. With `postalCode`, `country` or ' +
    '`lat`/`lon`, each node carries `distanceKm` and nodes come nearest first; otherwise by nodeId.',
  roles: ['channel', 'agent', 'admin'],
  query: AvailabilityQuery,
  responses: { 200: { description: 'Availability per SKU', schema: AvailabilityPage } },
  async handle({ query, deps }) {
    const { sku, postalCode, country, lat, lon, channel, segment } = query;
    const destination =
      postalCode !== undefined || country !== undefined || lat !== undefined
        ? { postalCode, country, lat, lon }
        : undefined;
    const items = await createAvailabilityService(deps.collections).skuAvailability({
      skus: sku,
      ...(channel !== undefined ? { channel } : {}),
      ...(segment !== undefined ? { segment } : {}),
      ...(destination ? { destination } : {}),
    });
    return { status: 200, body: { items } };
  },
});
