import { z } from 'zod';
import { Identifier, PositiveQuantity } from '../order-request';
import { DELIVERY_SPEEDS, NODE_KINDS } from '../promise/promise-defaults';

const IsoInstant = z.iso.datetime({ offset: true });
const Units = z.number().int().nonnegative();

/** Capabilities a node may have, as in the network API (`NodeDoc.capabilities`). */
export const NODE_CAPABILITY_NAMES = ['ship', 'pickup', 'return'] as const;

/** A node's own shipping cost model; every field is optional and falls back to the defaults. */
export const CostModelOverride = z
  .object({
    handlingMinor: Units,
    parcelBaseMinor: Units,
    per100KmMinor: Units,
    perKgMinor: Units,
    perKgPer100KmMinor: Units,
    expressSurchargeMinor: Units,
  })
  .partial()
  .strict();

/** A fulfilment node as the engine sees it: `NodeDoc` plus today's load and optional promise settings. */
export const NetworkNode = z
  .object({
    nodeId: Identifier,
    type: z.enum(NODE_KINDS),
    location: z
      .object({
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        postalCode: z.string().optional(),
        country: z.string().optional(),
      })
      .strict(),
    capabilities: z.array(z.enum(NODE_CAPABILITY_NAMES)),
    dailyOrderCapacity: Units.optional(),
    /** Orders the node has already taken today; at `dailyOrderCapacity` it takes no more. */
    usedToday: Units,
    /** Lower wins ties (1 before 2); a node without one comes last among equals. */
    priority: z.number().optional(),
    processingDays: Units.optional(),
    cutoffHourUtc: z.number().min(0).max(24).optional(),
    costModel: CostModelOverride.optional(),
  })
  .strict();
export type NetworkNode = z.infer<typeof NetworkNode>;

/** One order line; two lines may carry the same SKU. */
export const LineToSource = z
  .object({ lineId: Identifier, sku: Identifier, quantity: PositiveQuantity, weightGrams: Units })
  .strict();
export type LineToSource = z.infer<typeof LineToSource>;

/** Where a shipped order goes; without coordinates the distance is estimated from country and postcode. */
export const ShipDestination = z
  .object({
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    postalCode: z.string().optional(),
    country: z.string().optional(),
  })
  .strict();
export type ShipDestination = z.infer<typeof ShipDestination>;

/**
 * Ship to an address, or collect at `pickupNodeId`. `allowStoreChange` lets the engine move a
 * pickup to the nearest other pickup store that holds everything when the chosen one does not.
 */
export const DeliveryToSource = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('ship'),
      speed: z.enum(DELIVERY_SPEEDS).optional(),
      destination: ShipDestination,
    })
    .strict(),
  z
    .object({
      method: z.literal('pickup'),
      pickupNodeId: Identifier,
      allowStoreChange: z.boolean().optional(),
    })
    .strict(),
]);
export type DeliveryToSource = z.infer<typeof DeliveryToSource>;

/** Supply on its way to a node. */
export const InboundSupply = z
  .object({ nodeId: Identifier, quantity: PositiveQuantity, expectedAt: IsoInstant })
  .strict();
export type InboundSupply = z.infer<typeof InboundSupply>;

/** Everything the sourcing engine decides from; plain JSON, so it can cross an activity boundary. */
export const SourcingRequest = z
  .object({
    now: IsoInstant,
    lines: z.array(LineToSource).min(1),
    delivery: DeliveryToSource,
    shipComplete: z.boolean().optional(),
    /** Units each node may sell now: sku → nodeId → available. Missing entries mean none. */
    availability: z.record(z.string(), z.record(z.string(), Units)),
    /** Expected supply: sku → inbound entries. */
    inbound: z.record(z.string(), z.array(InboundSupply)).optional(),
    nodes: z.array(NetworkNode),
  })
  .strict()
  .superRefine((request, ctx) => {
    const duplicate = (ids: readonly string[]): string | undefined =>
      ids.find((id, index) => ids.indexOf(id) !== index);
    const line = duplicate(request.lines.map((entry) => entry.lineId));
    if (line) ctx.addIssue({ code: 'custom', path: ['lines'], message: `lineId ${line} appears twice` });
    const node = duplicate(request.nodes.map((entry) => entry.nodeId));
    if (node) ctx.addIssue({ code: 'custom', path: ['nodes'], message: `nodeId ${node} appears twice` });
  });
export type SourcingRequest = z.infer<typeof SourcingRequest>;
