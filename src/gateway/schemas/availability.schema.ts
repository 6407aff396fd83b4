import { z } from 'zod';
import { Identifier } from '../../domain/order-request';

/** A customer segment whose holds the caller may sell (e.g. `vip`). */
export const Segment = Identifier.describe('customer segment: stock held for it counts, e.g. vip');

/** Latitude and longitude come together or not at all. */
export const bothOrNeither = (value: { lat?: unknown; lon?: unknown }): boolean =>
  (value.lat === undefined) === (value.lon === undefined);

const IsoDate = z.string().describe('YYYY-MM-DD (UTC)');
const Units = z.number().int();

export const NodeAvailabilityView = z
  .object({
    nodeId: z.string(),
    available: Units,
    distanceKm: z.number().optional().describe('to the given location, when one was given'),
  })
  .strict();

export const NextInboundView = z
  .object({
    quantity: Units.describe('units still to come at the earliest date'),
    expectedAt: z.string().describe('ISO 8601 UTC'),
    nodes: z.array(z.object({ nodeId: z.string(), quantity: Units, expectedAt: z.string() }).strict()),
  })
  .strict();

export const SkuAvailabilityView = z
  .object({
    sku: z.string(),
    available: Units.describe('what the asking channel/segment may sell now across the network'),
    nodes: z.array(NodeAvailabilityView),
    nextInbound: NextInboundView.optional().describe('absent when no supply is expected'),
  })
  .strict();

const CartLineView = z.object({ sku: z.string(), quantity: Units }).strict();

export const OptionSourceView = z
  .object({
    nodeId: z.string(),
    nodeType: z.enum(['warehouse', 'store', 'dropship']),
    lines: z.array(CartLineView),
    promisedDate: IsoDate,
    dispatchDate: IsoDate.optional(),
    distanceKm: z.number().optional(),
    transferTo: z.string().optional().describe('the units travel to this pickup store first'),
    fromInbound: z.boolean().describe('the units come from inbound supply, not stock on hand'),
    expectedAt: z.string().optional().describe('when that inbound supply is expected'),
  })
  .strict();

export const DeliveryOptionView = z
  .object({
    optionId: z.string().describe('ship-standard, ship-express or pickup:<nodeId>'),
    method: z.enum(['ship', 'pickup']),
    speed: z.enum(['standard', 'express']).optional(),
    pickupNode: z
      .object({
        nodeId: z.string(),
        name: z.string(),
        distanceKm: z.number(),
        postalCode: z.string(),
        country: z.string(),
      })
      .strict()
      .optional(),
    promisedDate: IsoDate.describe('the customer has everything: delivered, or ready at the store'),
    earliestDate: IsoDate.describe('the first parcel arrives (or the first units are ready)'),
    parcels: Units,
    shippingCostMinor: Units,
    waitsForInbound: z.boolean(),
    sources: z.array(OptionSourceView),
  })
  .strict();

export const DeliveryOptionsView = z
  .object({
    now: z.string().describe('the instant the promises were computed from'),
    options: z.array(DeliveryOptionView),
    unavailable: z
      .array(CartLineView)
      .describe('units no option can serve (empty when some option serves all)'),
  })
  .strict();
