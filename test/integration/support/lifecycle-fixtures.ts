import { startLiveStack, type LiveStack, type LiveStackOptions } from './live-stack';
import { orderBody, placeOrder, seedProduct, seedWarehouses, type NodeSeed } from './order-driver';
import { LYON_ADDRESS } from '../../support/addresses';

export { LYON_ADDRESS };

/** The network and the customer the real-stack lifecycle tests share: two warehouses, a Lyon address. */

/** Lyon's warehouse only. */
export const LYON_NODE: Record<string, NodeSeed> = {
  'WH-LYON': { lat: 45.764, lon: 4.8357, postalCode: '69001' },
};

/** Lyon's and Paris's warehouses. */
export const NODES: Record<string, NodeSeed> = {
  ...LYON_NODE,
  'WH-PARIS': { lat: 48.8566, lon: 2.3522, postalCode: '75001' },
};

/** Unit prices in minor units. */
export const PRICE = 5200;
export const OTHER_PRICE = 9900;

/** Starts a live stack and creates its warehouses (both, unless told). */
export async function startSeededStack(
  options: LiveStackOptions,
  nodes: Record<string, NodeSeed> = NODES,
): Promise<LiveStack> {
  const stack = await startLiveStack(options);
  await seedWarehouses(stack, nodes);
  return stack;
}

/** Places a split order to Lyon: 2 × PRICE of a SKU only in Lyon, 1 × OTHER_PRICE of one only in Paris. */
export async function placeSplitOrder(
  stack: LiveStack,
  token?: string,
): Promise<{ orderId: string; lyonSku: string; parisSku: string }> {
  const lyonSku = await seedProduct(stack, PRICE, { 'WH-LYON': 4 });
  const parisSku = await seedProduct(stack, OTHER_PRICE, { 'WH-PARIS': 4 });
  const orderId = await placeOrder(
    stack,
    orderBody(
      [
        { lineId: 'l1', sku: lyonSku, quantity: 2, unitPriceMinor: PRICE },
        { lineId: 'l2', sku: parisSku, quantity: 1, unitPriceMinor: OTHER_PRICE },
      ],
      LYON_ADDRESS,
      token,
    ),
  );
  return { orderId, lyonSku, parisSku };
}
