import {
  lineStatusFromParts,
  orderStatusFromParts,
  refreshLineStatuses,
  unitsInParts,
} from '../../../src/domain/order-progress';
import type {
  BackorderView,
  FulfillmentStatus,
  FulfillmentView,
  OrderLineView,
} from '../../../src/domain/order-view';

const line = (lineId: string, quantity = 2, extra: Partial<OrderLineView> = {}): OrderLineView => ({
  lineId,
  sku: `SKU-${lineId}`,
  quantity,
  unitPriceMinor: 1000,
  status: 'reserved',
  ...extra,
});

const part = (
  fulfillmentId: string,
  status: FulfillmentStatus,
  lines: [string, number][],
  extra: Partial<FulfillmentView> = {},
): FulfillmentView => ({
  fulfillmentId,
  nodeId: `N-${fulfillmentId}`,
  status,
  lines: lines.map(([lineId, quantity]) => ({ lineId, quantity })),
  ...extra,
});

const waiting = (lineId: string, quantity: number): BackorderView => ({
  lineId,
  sku: `SKU-${lineId}`,
  quantity,
  since: '2026-03-02T10:00:00.000Z',
});

const order = (lines: OrderLineView[], fulfillments: FulfillmentView[], backorders: BackorderView[] = []) => {
  const view = { lines, fulfillments, backorders };
  refreshLineStatuses(view);
  return view;
};

test('a split order with one parcel gone and one at its node is partially shipped', () => {
  const view = order(
    [line('l1'), line('l2')],
    [part('F1', 'in_transit', [['l1', 2]]), part('F2', 'created', [['l2', 2]])],
  );
  expect(orderStatusFromParts(view)).toBe('partially_shipped');
  expect(view.lines.map((l) => l.status)).toEqual(['shipped', 'reserved']);
});

test('an order is shipped once every parcel has left, delivered once every parcel arrived', () => {
  expect(orderStatusFromParts(order([line('l1')], [part('F1', 'exception', [['l1', 2]])]))).toBe('shipped');
  const arrived = order(
    [line('l1'), line('l2')],
    [part('F1', 'delivered', [['l1', 2]]), part('F2', 'picked_up', [['l2', 2]])],
  );
  expect(orderStatusFromParts(arrived)).toBe('delivered');
  expect(arrived.lines.map((l) => l.status)).toEqual(['delivered', 'delivered']);
});

test('a line split over two parcels is only as far as the one behind', () => {
  const view = order(
    [line('l1', 4)],
    [part('F1', 'delivered', [['l1', 2]]), part('F2', 'shipped', [['l1', 2]])],
  );
  expect(view.lines[0]!.status).toBe('shipped');
});

test('a click-and-collect order whose parcel waits at the store is ready for pickup', () => {
  const view = order([line('l1')], [part('F1', 'ready_for_pickup', [['l1', 2]], { method: 'pickup' })]);
  expect(orderStatusFromParts(view)).toBe('ready_for_pickup');
  expect(view.lines[0]!.status).toBe('ready_for_pickup');
});

test('an order with only backorders left is backordered; with a parcel at its node as well it is confirmed', () => {
  const onlyWaiting = order([line('l1')], [], [waiting('l1', 2)]);
  expect(orderStatusFromParts(onlyWaiting)).toBe('backordered');
  expect(onlyWaiting.lines[0]!.status).toBe('backordered');
  const mixed = order([line('l1'), line('l2')], [part('F1', 'created', [['l1', 2]])], [waiting('l2', 2)]);
  expect(orderStatusFromParts(mixed)).toBe('confirmed');
  expect(mixed.lines.map((l) => l.status)).toEqual(['reserved', 'backordered']);
});

test('a shipped parcel with units still backordered leaves the order partially shipped, not shipped', () => {
  const view = order([line('l1'), line('l2')], [part('F1', 'delivered', [['l1', 2]])], [waiting('l2', 1)]);
  expect(orderStatusFromParts(view)).toBe('partially_shipped');
});

test('cancelled, rejected and uncollected parts no longer count, and a line without parts left is cancelled', () => {
  const view = order(
    [line('l1', 2, { cancelledQuantity: 2 }), line('l2')],
    [part('F1', 'cancelled', [['l1', 2]]), part('F2', 'delivered', [['l2', 2]])],
  );
  expect(view.lines.map((l) => l.status)).toEqual(['cancelled', 'delivered']);
  expect(orderStatusFromParts(view)).toBe('delivered');
});

test('an order whose every line is cancelled is cancelled', () => {
  const view = order([line('l1', 2, { cancelledQuantity: 2 })], [part('F1', 'not_collected', [['l1', 2]])]);
  expect(orderStatusFromParts(view)).toBe('cancelled');
});

test('a parcel lost and refunded no longer carries its units; one sent again does', () => {
  const lost = part('F1', 'exception', [['l1', 2]], { resolution: 'reship' });
  const view = order([line('l1')], [lost, part('F2', 'created', [['l1', 2]])]);
  expect(orderStatusFromParts(view)).toBe('confirmed');
  expect(unitsInParts('l1', view.fulfillments, view.backorders)).toBe(2);
});

test('a line whose parts are all rejected keeps its status until its units are sourced again', () => {
  expect(lineStatusFromParts(line('l1'), [part('F1', 'rejected', [['l1', 2]])])).toBe('reserved');
});
