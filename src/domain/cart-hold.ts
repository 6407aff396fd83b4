import { z } from 'zod';
import { Channel, Identifier, PositiveQuantity } from './order-request';

export const DEFAULT_CART_HOLD_TTL_SECONDS = 900;
export const MAX_CART_HOLD_TTL_SECONDS = 3600;

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

export const CART_HOLD_STATUSES = [
  'reserving',
  'active',
  'insufficient',
  'failed',
  'expired',
  'released',
  'converted',
] as const;
export type CartHoldStatus = (typeof CART_HOLD_STATUSES)[number];

/** The live view of a cart hold (the `getCartHold` query). */
export interface CartHoldView {
  holdId: string;
  channel: Channel;
  nodeId: string;
  lines: CartHoldLine[];
  status: CartHoldStatus;
  expiresAt?: string;
  orderId?: string;
}

/** The reservation key of one held line: distinct from every order's `${orderId}:${lineId}:${nodeId}`. */
export const cartHoldKey = (holdId: string, lineId: string, nodeId: string): string =>
  `hold:${holdId}:${lineId}:${nodeId}`;

/** The workflow of a cart hold. */
export const cartHoldWorkflowId = (holdId: string): string => `cart-hold:${holdId}`;
