import {
  deliveredAtFromTimeline,
  refuseReturn,
  returnWindowEndsAt,
} from '../../../src/domain/returns/returnable-units';
import { returnWindowDays } from '../../../src/domain/returns/return-policy';
import { RETURN_REJECTIONS } from '../../../src/domain/returns/return-rejections';
import { daysAfterDelivery, deliveredOrder, DELIVERED_AT, rma, terms } from './return-fixtures';

const situation = (view = deliveredOrder(), nowMs = daysAfterDelivery(3), withTerms = terms()) => ({
  view,
  deliveredAt: deliveredAtFromTimeline(view),
  nowMs,
  terms: withTerms,
});

test('delivered units within the window may be returned', () => {
  expect(refuseReturn([{ lineId: 'l1', quantity: 2 }], situation())).toBeUndefined();
});

test('the arrival time comes from the order timeline entry of the fulfilment', () => {
  expect(deliveredAtFromTimeline(deliveredOrder())('o1-F1')).toBe(DELIVERED_AT);
  expect(deliveredAtFromTimeline(deliveredOrder())('o1-F2')).toBeUndefined();
});

test('units that have not been delivered are refused as not delivered', () => {
  const view = deliveredOrder();
  view.fulfillments[0]!.status = 'in_transit';
  expect(refuseReturn([{ lineId: 'l1', quantity: 1 }], situation(view))?.type).toBe(
    RETURN_REJECTIONS.notDelivered,
  );
});

test('picked-up units count as delivered', () => {
  const view = deliveredOrder();
  view.fulfillments[0]!.status = 'picked_up';
  expect(refuseReturn([{ lineId: 'l1', quantity: 1 }], situation(view))).toBeUndefined();
});

test('an unknown line or more units than the line has is an invalid request', () => {
  expect(refuseReturn([{ lineId: 'nope', quantity: 1 }], situation())?.type).toBe(
    RETURN_REJECTIONS.invalidRequest,
  );
  expect(refuseReturn([{ lineId: 'l1', quantity: 3 }], situation())?.type).toBe(
    RETURN_REJECTIONS.invalidRequest,
  );
  expect(refuseReturn([], situation())?.type).toBe(RETURN_REJECTIONS.invalidRequest);
});

test('units under an open RMA cannot be returned again', () => {
  const view = deliveredOrder({ returns: [rma()] });
  expect(refuseReturn([{ lineId: 'l1', quantity: 1 }], situation(view))).toBeUndefined();
  expect(refuseReturn([{ lineId: 'l1', quantity: 2 }], situation(view))?.type).toBe(
    RETURN_REJECTIONS.alreadyReturned,
  );
});

test('units of an expired RMA may be asked for again; units received are gone for good', () => {
  const expired = deliveredOrder({ returns: [rma({ status: 'expired' })] });
  expect(refuseReturn([{ lineId: 'l1', quantity: 2 }], situation(expired))).toBeUndefined();
  const received = rma({ status: 'completed' });
  received.lines[0]!.received = { sellable: 0, damaged: 1 };
  const view = deliveredOrder({ returns: [received] });
  expect(refuseReturn([{ lineId: 'l1', quantity: 2 }], situation(view))?.type).toBe(
    RETURN_REJECTIONS.alreadyReturned,
  );
});

test('the default window is 30 days from delivery', () => {
  expect(
    refuseReturn([{ lineId: 'l1', quantity: 1 }], situation(undefined, daysAfterDelivery(30))),
  ).toBeUndefined();
  expect(
    refuseReturn([{ lineId: 'l1', quantity: 1 }], situation(undefined, daysAfterDelivery(30.01)))?.type,
  ).toBe(RETURN_REJECTIONS.windowClosed);
});

test("a product's own window overrides the default", () => {
  expect(
    refuseReturn([{ lineId: 'l2', quantity: 1 }], situation(undefined, daysAfterDelivery(15)))?.type,
  ).toBe(RETURN_REJECTIONS.windowClosed);
});

test('a VIP customer gets the longer VIP window when one is configured', () => {
  const vip = terms({ customer: { tier: 'vip', trustedReturns: false } });
  vip.policy.vipWindowDays = 60;
  expect(returnWindowDays('SKU-B', vip)).toBe(60);
  expect(
    refuseReturn([{ lineId: 'l2', quantity: 1 }], situation(undefined, daysAfterDelivery(45), vip)),
  ).toBeUndefined();
  const noVipWindow = terms({ customer: { tier: 'vip', trustedReturns: false } });
  expect(returnWindowDays('SKU-B', noVipWindow)).toBe(14);
});

test('without terms the window is not checked (the validator runs before they are loaded)', () => {
  const s = { ...situation(undefined, daysAfterDelivery(90)), terms: undefined };
  expect(refuseReturn([{ lineId: 'l1', quantity: 1 }], s)).toBeUndefined();
});

test("the order's return window ends with its latest unit's window", () => {
  const view = deliveredOrder();
  expect(returnWindowEndsAt(view, deliveredAtFromTimeline(view), terms())).toBe(
    new Date(daysAfterDelivery(30)).toISOString(),
  );
  view.fulfillments[0]!.status = 'shipped';
  expect(returnWindowEndsAt(view, deliveredAtFromTimeline(view), terms())).toBeUndefined();
});
