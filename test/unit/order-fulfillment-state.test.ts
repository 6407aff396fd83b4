import {
  createOrderView,
  fulfillmentAmountMinor,
  statusFromFulfillments,
  updateLineStatuses,
} from '../../src/domain/order-state';
import type { OrderRequest } from '../../src/domain/order-request';
import type { FulfillmentStatus, OrderView } from '../../src/domain/order-view';

// An order whose line l1 is split over two parcels and whose line l2 travels in the second.
const order: OrderRequest = {
  orderId: 'o-1',
  channel: 'web',
  customer: { id: 'c-1', email: 'a@b.example' },
  currency: 'EUR',
  lines: [
    { lineId: 'l1', sku: 'A', quantity: 3, unitPriceMinor: 1000 },
    { lineId: 'l2', sku: 'B', quantity: 1, unitPriceMinor: 450 },
  ],
  delivery: { method: 'ship' },
  payment: { token: 'tok_ok' },
};

function splitOrder(f1: FulfillmentStatus, f2: FulfillmentStatus): OrderView {
  const view = createOrderView(order, '2025-01-01T10:00:00.000Z');
  view.lines.forEach((line) => (line.status = 'reserved'));
  view.fulfillments = [
    { fulfillmentId: 'o-1-F1', nodeId: 'N1', lines: [{ lineId: 'l1', quantity: 2 }], status: f1 },
    {
      fulfillmentId: 'o-1-F2',
      nodeId: 'N2',
      lines: [
        { lineId: 'l1', quantity: 1 },
        { lineId: 'l2', quantity: 1 },
      ],
      status: f2,
    },
  ];
  return view;
}

test('an order none of whose parcels has left is confirmed', () => {
  expect(statusFromFulfillments(splitOrder('created', 'created'))).toBe('confirmed');
});

test('an order with some parcels gone is partially shipped', () => {
  expect(statusFromFulfillments(splitOrder('shipped', 'created'))).toBe('partially_shipped');
  expect(statusFromFulfillments(splitOrder('created', 'delivered'))).toBe('partially_shipped');
});

test('an order whose parcels have all left is shipped until every one has arrived', () => {
  expect(statusFromFulfillments(splitOrder('in_transit', 'exception'))).toBe('shipped');
  expect(statusFromFulfillments(splitOrder('delivered', 'shipped'))).toBe('shipped');
  expect(statusFromFulfillments(splitOrder('delivered', 'delivered'))).toBe('delivered');
});

test('a line split over two parcels is shipped only once both have left', () => {
  const view = splitOrder('shipped', 'created');
  updateLineStatuses(view);
  expect(view.lines.map((line) => line.status)).toEqual(['reserved', 'reserved']);
  view.fulfillments[1]!.status = 'shipped';
  updateLineStatuses(view);
  expect(view.lines.map((line) => line.status)).toEqual(['shipped', 'shipped']);
});

test('a line is delivered once every parcel carrying it has arrived', () => {
  const view = splitOrder('shipped', 'delivered');
  updateLineStatuses(view);
  expect(view.lines.map((line) => line.status)).toEqual(['shipped', 'delivered']);
});

test('the shares of the fulfilments add up to the order total', () => {
  const view = splitOrder('created', 'created');
  const shares = view.fulfillments.map((f) => fulfillmentAmountMinor(view, f));
  expect(shares).toEqual([2000, 1450]);
  expect(shares[0]! + shares[1]!).toBe(view.totalMinor);
});
