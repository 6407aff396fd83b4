import { z } from 'zod';
import { createAvailabilityService } from '../../availability/availability-service';
import { DEFAULT_PICKUP_STORES } from '../../availability/delivery-options';
import { Channel, Identifier, PositiveQuantity } from '../../domain/order-request';
import { defineRoute } from '../route';
import { bothOrNeither, DeliveryOptionsView, Segment } from '../schemas/availability.schema';

export const DeliveryOptionsBody = z
  .object({
    lines: z
      .array(z.object({ sku: Identifier, quantity: PositiveQuantity }).strict())
      .min(1)
      .max(100),
    destination: z
      .object({
        postalCode: z.string().min(1).max(20),
        country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as FR'),
        lat: z.number().min(-90).max(90).optional(),
        lon: z.number().min(-180).max(180).optional(),
      })
      .strict()
      .refine(bothOrNeither, { message: 'give lat and lon together', path: ['lat'] }),
    channel: Channel.optional().describe('the selling channel: stock held for it counts as available'),
    segment: Segment.optional(),
    shipComplete: z.boolean().optional().describe('everything in one parcel, as the order would ask'),
    pickupStores: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe(`pickup stores offered at most (default ${DEFAULT_PICKUP_STORES})`),
  })
  .strict();

/** `POST /v1/availability/delivery-options`: how and when a cart can reach a destination. */
export const deliveryOptionsRoute = defineRoute({
  method: 'post',
  path: '/v1/availability/delivery-options',
  operationId: 'getDeliveryOptions',
  tag: 'Inventory',
  summary: 'Delivery options with promised dates for a cart',
  description:
    'Ship standard, ship express (offered only when not later than standard) and pickup at the nearest stores ' +
    'that can have the whole cart, nearest first. Each option is sourced by the same engine the order uses, on ' +
    'what the caller may sell now and the inbound supply, and carries its promised date (node processing time ' +
    'and cut-off, carrier transit by distance band, inbound dates) and the nodes the units would come from. ' +
    'Reads only: nothing is reserved.',
  roles: ['channel', 'agent', 'admin'],
  body: DeliveryOptionsBody,
  idempotencyKey: true,
  responses: { 200: { description: 'The options, and what none can serve', schema: DeliveryOptionsView } },
  async handle({ body, deps }) {
    const { pickupStores, ...query } = body;
    const result = await createAvailabilityService(deps.collections).deliveryOptions({
      ...query,
      ...(pickupStores !== undefined ? { maxPickupStores: pickupStores } : {}),
    });
    return { status: 200, body: result };
  },
});
