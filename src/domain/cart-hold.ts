import type { CartHoldLine } from './cart-hold-request';
import type { Channel } from './order-request';

// Workflows import this module: it must not load zod (the request schemas are in cart-hold-request.ts).
export type { CartHoldLine };

export const DEFAULT_CART_HOLD_TTL_SECONDS = 900;
export const MAX_CART_HOLD_TTL_SECONDS = 3600;

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
