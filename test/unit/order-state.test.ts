import {
  changeStatus,
  createOrderView,
  recordEvent,
  reservationKey,
  setLineStatus,
} from '../../src/domain/order-state';
import type { OrderRequest } from '../../src/domain/order-request';

const order: OrderRequest = {
  orderId: 'o-1',
  channel: 'web',
  customer: { id: 'c-1', email: 'a@b.example' },
  currency: 'EUR',
  lines: [
    { lineId: 'l1', sku: 'A', quantity: 2, unitPriceMinor: 1000 },
    { lineId: 'l2', sku: 'B', quantity: 1, unitPriceMinor: 500 },
  ],
  delivery: { method: 'pickup', pickupNodeId: 'N1' },
  payment: { token: 'tok_ok' },
};
const AT = '2025-01-01T10:00:00.000Z';

describe('order state', () => {
  test('a new view is received, open, unpaid, with its total and one timeline entry', () => {
    const view = createOrderView(order, AT, 'channel:web');
    expect(view).toMatchObject({
      status: 'received',
      totalMinor: 2500,
      payment: { status: 'pending', authorizedMinor: 0, capturedMinor: 0, refundedMinor: 0 },
      returns: [],
      fulfillments: [],
      timeline: [{ at: AT, type: 'received', actor: 'channel:web' }],
      version: 1,
    });
    expect(view.lines.map((line) => line.status)).toEqual(['open', 'open']);
  });

  test('every change bumps the version and the updated time', () => {
    const view = createOrderView(order, AT);
    recordEvent(view, '2025-01-01T10:00:01.000Z', 'stock_reserved', 'at N1');
    changeStatus(view, 'confirmed', '2025-01-01T10:00:02.000Z');
    expect(view.version).toBe(3);
    expect(view.updatedAt).toBe('2025-01-01T10:00:02.000Z');
    expect(view.timeline.map((entry) => entry.type)).toEqual(['received', 'stock_reserved', 'confirmed']);
    expect(view.status).toBe('confirmed');
  });

  test('line status changes only the named lines, or all when none are named', () => {
    const view = createOrderView(order, AT);
    setLineStatus(view, 'shipped', ['l2']);
    expect(view.lines.map((line) => line.status)).toEqual(['open', 'shipped']);
    setLineStatus(view, 'cancelled');
    expect(view.lines.map((line) => line.status)).toEqual(['cancelled', 'cancelled']);
  });

  test('reservation keys are derived from order, line and node only', () => {
    expect(reservationKey('o-1', 'l1', 'N1')).toBe('o-1:l1:N1');
  });
});
