import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CartHoldView, CartHoldLine } from '../src/domain/cart-hold';
import type { Channel } from '../src/domain/order-request';

export interface CartHoldInput {
  holdId: string;
  channel: Channel;
  lines: CartHoldLine[];
  nodeId: string;
  ttlMs: number;
}

/** The hold's live view. */
export const getCartHoldQuery = defineQuery<CartHoldView>('getCartHold');
/** The channel gave the cart up: release the stock now. */
export const releaseCartHoldSignal = defineSignal('releaseCartHold');
/** An order took the held units over (they were transferred to its own reservation keys). */
export const cartHoldConvertedSignal = defineSignal<[{ orderId: string }]>('cartHoldConverted');
