import { condition, setHandler } from '@temporalio/workflow';
import type { NodeReservationInput } from '../activities/stock.activities';
import { cartHoldKey, type CartHoldView } from '../src/domain/cart-hold';
import { local } from './order-activity-proxies';
import {
  cartHoldConvertedSignal,
  getCartHoldQuery,
  releaseCartHoldSignal,
  type CartHoldInput,
} from './cart-hold.messages';

/**
 * A channel's hold on stock for one checkout: the lines are reserved at one node under hold keys, kept
 * until the TTL timer fires, the channel releases them, or an order takes them over. Whatever is still
 * under a hold key at the end is released; units an order took over are no longer there, so that
 * release cannot touch them.
 */
export async function cartHoldWorkflow(input: CartHoldInput): Promise<CartHoldView> {
  const view: CartHoldView = {
    holdId: input.holdId,
    channel: input.channel,
    nodeId: input.nodeId,
    lines: input.lines,
    status: 'reserving',
  };
  let released = false;
  setHandler(getCartHoldQuery, () => view);
  setHandler(releaseCartHoldSignal, () => {
    released = true;
  });
  setHandler(cartHoldConvertedSignal, ({ orderId }) => {
    view.orderId = orderId;
  });

  const reservation: NodeReservationInput = {
    orderId: input.holdId,
    nodeId: input.nodeId,
    lines: input.lines.map((line) => ({
      key: cartHoldKey(input.holdId, line.lineId, input.nodeId),
      sku: line.sku,
      quantity: line.quantity,
    })),
    pool: { channel: input.channel },
    source: `cart-hold:${input.holdId}`,
  };
  try {
    if ((await local.reserveOrderAtNode(reservation)) === 'insufficient') {
      view.status = 'insufficient';
      return view;
    }
  } catch {
    await local.releaseOrderAtNode(reservation);
    view.status = 'failed';
    return view;
  }
  view.status = 'active';
  view.expiresAt = new Date(Date.now() + input.ttlMs).toISOString();
  await condition(() => released || view.orderId !== undefined, input.ttlMs);
  // A line gone from its hold key was taken over by an order (whose signal may still be on the way),
  // unless the hold was released: then an order that could not use it gave the units back itself.
  const stillHeld = await local.releaseReservedLines(reservation);
  const taken = view.orderId !== undefined || (!released && stillHeld < reservation.lines.length);
  view.status = taken ? 'converted' : released ? 'released' : 'expired';
  return view;
}
