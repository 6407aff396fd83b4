import { z } from 'zod';

/** Business identifiers: safe in workflow IDs, Mongo field names and URLs. */
export const Identifier = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, "-" or "_"');

export const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
export const PositiveQuantity = z.number().int().positive().max(10_000);
export const MinorUnits = z.number().int().nonnegative().max(1_000_000_000);

export const Channel = z.enum(['web', 'app', 'store', 'marketplace', 'call_center']);
export type Channel = z.infer<typeof Channel>;

export const Address = z
  .object({
    line1: z.string().min(1).max(200),
    city: z.string().min(1).max(100),
    postalCode: z.string().min(1).max(20),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as FR'),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .strict();
export type Address = z.infer<typeof Address>;

export const OrderLineRequest = z
  .object({
    lineId: Identifier,
    sku: Identifier,
    quantity: PositiveQuantity,
    unitPriceMinor: MinorUnits,
  })
  .strict();
export type OrderLineRequest = z.infer<typeof OrderLineRequest>;

export const Delivery = z
  .object({
    method: z.enum(['ship', 'pickup']),
    address: Address.optional(),
    pickupNodeId: Identifier.optional(),
    speed: z.enum(['standard', 'express']).optional(),
  })
  .strict()
  .superRefine((delivery, ctx) => {
    if (delivery.method === 'ship' && !delivery.address) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'required when method is "ship"' });
    }
    if (delivery.method === 'pickup' && !delivery.pickupNodeId) {
      ctx.addIssue({ code: 'custom', path: ['pickupNodeId'], message: 'required when method is "pickup"' });
    }
  });
export type Delivery = z.infer<typeof Delivery>;

/** The body of POST /v1/orders, exactly as the contract gives it. */
export const OrderRequest = z
  .object({
    orderId: Identifier,
    channel: Channel,
    customer: z
      .object({ id: Identifier, email: z.email(), name: z.string().min(1).max(200).optional() })
      .strict(),
    currency: Currency,
    lines: z
      .array(OrderLineRequest)
      .min(1)
      .max(100)
      .superRefine((lines, ctx) => {
        const seen = new Set<string>();
        lines.forEach((line, index) => {
          if (seen.has(line.lineId)) {
            ctx.addIssue({ code: 'custom', path: [index, 'lineId'], message: 'lineId must be unique' });
          }
          seen.add(line.lineId);
        });
      }),
    delivery: Delivery,
    shipComplete: z.boolean().optional(),
    payment: z.object({ token: z.string().min(1).max(200) }).strict(),
    /** A cart hold whose reserved units this order takes over instead of sourcing them again. */
    cartHoldId: Identifier.optional(),
  })
  .strict();
export type OrderRequest = z.infer<typeof OrderRequest>;
