import {
  applyReceipt,
  applyReturnCarrierEvent,
  createReturnView,
  receivedUnitsByCondition,
  refuseReceipt,
} from '../../../src/domain/returns/rma-state';
import { RETURN_REJECTIONS } from '../../../src/domain/returns/return-rejections';
import { DELIVERED_AT } from './return-fixtures';

const newRma = () =>
  createReturnView({
    rmaId: 'o1-R1',
    orderId: 'o1',
    customerId: 'c1',
    currency: 'EUR',
    method: 'mail',
    lines: [{ lineId: 'l1', sku: 'COAT-RED-M', quantity: 2, reason: 'wrong_size', unitPriceMinor: 4500 }],
    actor: 'channel:web',
    requestedAt: DELIVERED_AT,
    expiryDays: 30,
  });

test('an RMA expires the configured number of days after it was created', () => {
  expect(newRma()).toMatchObject({
    status: 'awaiting_return',
    expiresAt: '2026-03-31T10:00:00.000Z',
    version: 1,
  });
});

test('a receipt names lines of the RMA with no more units than it asked for', () => {
  const rma = newRma();
  expect(refuseReceipt(rma, [{ lineId: 'l1', quantity: 2, condition: 'sellable' }])).toBeUndefined();
  expect(refuseReceipt(rma, [{ lineId: 'l9', quantity: 1, condition: 'sellable' }])?.type).toBe(
    RETURN_REJECTIONS.invalidRequest,
  );
  expect(
    refuseReceipt(rma, [
      { lineId: 'l1', quantity: 2, condition: 'sellable' },
      { lineId: 'l1', quantity: 1, condition: 'damaged' },
    ])?.type,
  ).toBe(RETURN_REJECTIONS.invalidRequest);
});

test('a receipt counts units by condition, and a second receipt is refused', () => {
  const rma = newRma();
  applyReceipt(rma, {
    nodeId: 'ST-PARIS',
    at: DELIVERED_AT,
    actor: 'node:desk',
    lines: [
      { lineId: 'l1', quantity: 1, condition: 'sellable' },
      { lineId: 'l1', quantity: 1, condition: 'damaged' },
    ],
  });
  expect(rma.status).toBe('received');
  expect(rma.lines[0]!.received).toEqual({ sellable: 1, damaged: 1 });
  expect(receivedUnitsByCondition(rma, 'sellable')).toEqual([
    { lineId: 'l1', sku: 'COAT-RED-M', quantity: 1 },
  ]);
  expect(refuseReceipt(rma, [{ lineId: 'l1', quantity: 1, condition: 'sellable' }])?.type).toBe(
    RETURN_REJECTIONS.alreadyReceived,
  );
});

test('an expired RMA takes no receipt', () => {
  const rma = { ...newRma(), status: 'expired' as const };
  expect(refuseReceipt(rma, [{ lineId: 'l1', quantity: 1, condition: 'sellable' }])?.type).toBe(
    RETURN_REJECTIONS.returnClosed,
  );
});

test("the carrier taking the return parcel moves the RMA in transit; another parcel's events change nothing", () => {
  const rma = newRma();
  rma.label = { carrier: 'SIMPOST', trackingNumber: 'TRK-R', labelUrl: 'u', nodeId: 'WH' };
  expect(applyReturnCarrierEvent(rma, { trackingNumber: 'OTHER', event: 'in_transit' })).toBeUndefined();
  expect(rma.status).toBe('awaiting_return');
  expect(applyReturnCarrierEvent(rma, { trackingNumber: 'TRK-R', event: 'in_transit' })).toBe(
    'parcel_in_transit',
  );
  expect(rma.status).toBe('in_transit');
  expect(applyReturnCarrierEvent(rma, { trackingNumber: 'TRK-R', event: 'delivered' })).toBe(
    'parcel_arrived',
  );
  expect(rma.status).toBe('in_transit');
});
