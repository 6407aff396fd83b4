import { z } from 'zod';
import { MAX_CART_HOLD_TTL_SECONDS } from './cart-hold';
import { Channel, Identifier, PositiveQuantity } from './order-request';

// The HTTP schemas of cart holds live apart from cart-hold.ts, which workflows import: a workflow module that
// loads zod rebuilds every schema for each cached workflow (about 0.9 MiB each; see src/worker/bundle-workflows.ts).

export const CartHoldLine = z
  .object({ lineId: Identifier, sku: Identifier, quantity: PositiveQuantity })
  .strict();
export type CartHoldLine = z.infer<typeof CartHoldLine>;

/** The body of POST /v1/cart-holds. */
export const CartHoldRequest = z
  .object({
    holdId: Identifier,
    channel: Channel,
    lines: z.array(CartHoldLine).min(1).max(100),
    nodeId: Identifier,
    ttlSeconds: z.number().int().positive().max(MAX_CART_HOLD_TTL_SECONDS).optional(),
  })
  .strict();
export type CartHoldRequest = z.infer<typeof CartHoldRequest>;
