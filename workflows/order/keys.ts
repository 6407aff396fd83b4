import { authorizationKey, captureKey, reservationKey } from '../../src/domain/order-state';

/**
 * Idempotency keys of a v2 order, derived from business ids and the order's own counters only, so a
 * retried activity or a replayed workflow sends the same key and the provider or the stock moves once.
 */

/** The n-th authorisation: `auth:<orderId>` first (as v1), then `auth:<orderId>:<n>`. */
export const authorizationKeyOf = (orderId: string, n: number): string =>
  n <= 1 ? authorizationKey(orderId) : `${authorizationKey(orderId)}:${n}`;

/**
 * A fulfilment's capture: `capture:<orderId>:<fulfillmentId>` when one call takes it; a further share of
 * it, or a capture again after the authorisation expired, gets `:<round>.<share>`.
 */
export const captureShareKey = (
  orderId: string,
  fulfillmentId: string,
  round: number,
  share: number,
): string =>
  round === 0 && share === 0
    ? captureKey(orderId, fulfillmentId)
    : `${captureKey(orderId, fulfillmentId)}:${round}.${share}`;

export const voidKey = (orderId: string, n: number): string => `void:${orderId}:${n}`;
export const refundKey = (orderId: string, n: number): string => `refund:${orderId}:${n}`;

/**
 * The reservation of a line at a node for one fulfilment: `<orderId>:<lineId>:<nodeId>` (as v1 and the
 * cart-hold transfer) unless the order already used that key, then suffixed with the fulfilment id.
 */
export const partReservationKey = (
  orderId: string,
  lineId: string,
  nodeId: string,
  fulfillmentId: string,
  taken: ReadonlySet<string>,
): string => {
  const plain = reservationKey(orderId, lineId, nodeId);
  return taken.has(plain) ? `${plain}:${fulfillmentId}` : plain;
};
