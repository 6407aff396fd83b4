import type { OrderRequest } from '../domain/order-request';
import type { OrderView } from '../domain/order-view';

/** The view of an order the moment it is accepted, before the workflow has done anything. */
export function buildInitialOrderView(order: OrderRequest, receivedAt: string, actor?: string): OrderView {
  return {
    orderId: order.orderId,
    status: 'received',
    channel: order.channel,
    customer: { ...order.customer },
    currency: order.currency,
    totalMinor: order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0),
    delivery: order.delivery,
    lines: order.lines.map((line) => ({ ...line, status: 'open' })),
    fulfillments: [],
    payment: { status: 'pending', authorizedMinor: 0, capturedMinor: 0, refundedMinor: 0 },
    returns: [],
    timeline: [{ at: receivedAt, type: 'received', ...(actor ? { actor } : {}) }],
    createdAt: receivedAt,
    updatedAt: receivedAt,
    version: 0,
  };
}
