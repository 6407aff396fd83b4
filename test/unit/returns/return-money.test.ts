import {
  createPaymentAccount,
  recordAuthorization,
  recordCapture,
  recordRefund,
} from '../../../src/domain/payment-account';
import {
  committedToReturnsMinor,
  exchangeDifferenceMinor,
  receivedLines,
  refundSources,
  returnFeeMinor,
  returnNetMinor,
  settlementMinor,
  splitOverSources,
} from '../../../src/domain/returns/return-money';
import { DEFAULT_RETURN_POLICY } from '../../../src/domain/returns/return-policy';
import type { ReturnLineView } from '../../../src/domain/returns/return-view';
import { rma } from './return-fixtures';

const policy = { ...DEFAULT_RETURN_POLICY, mailFeeMinor: 500 };
const line = (overrides: Partial<ReturnLineView> = {}): ReturnLineView => ({
  lineId: 'l1',
  sku: 'COAT-RED-M',
  quantity: 2,
  reason: 'wrong_size',
  unitPriceMinor: 4500,
  ...overrides,
});

test('a store return refunds the value of the units that came back, in any condition', () => {
  const lines = [line({ received: { sellable: 1, damaged: 1 } })];
  expect(
    returnNetMinor({ method: 'store', lines, back: receivedLines(lines), replacements: [], policy }),
  ).toEqual({
    netMinor: 9000,
    feeMinor: 0,
  });
});

test('a mail return pays the fee unless a reason is our fault', () => {
  expect(returnFeeMinor('mail', [line()], 9000, policy)).toBe(500);
  expect(returnFeeMinor('locker', [line({ reason: 'defective' })], 9000, policy)).toBe(0);
  expect(returnFeeMinor('mail', [line()], 0, policy)).toBe(0);
  expect(returnFeeMinor('mail', [line()], 300, policy)).toBe(300);
});

test('nothing received means nothing owed and no fee', () => {
  const lines = [line()];
  expect(
    returnNetMinor({ method: 'mail', lines, back: receivedLines(lines), replacements: [], policy }),
  ).toEqual({
    netMinor: 0,
    feeMinor: 0,
  });
});

test('an instant refund is reversed in full when nothing arrives', () => {
  const instant = rma({
    refund: { instant: true, feeMinor: 0, refundedMinor: 4500, chargedMinor: 0, failedMinor: 0 },
  });
  expect(settlementMinor(0, instant)).toBe(-4500);
  expect(settlementMinor(4500, instant)).toBe(0);
});

test('an exchange for a dearer SKU charges the difference once; a cheaper one refunds it', () => {
  const returned = [line({ quantity: 1 })];
  const dearer = [{ lineId: 'l1', sku: 'COAT-BLUE-L', quantity: 1, unitPriceMinor: 5500 }];
  expect(exchangeDifferenceMinor(returned, dearer)).toBe(1000);
  const got = [line({ quantity: 1, received: { sellable: 1, damaged: 0 } })];
  const net = returnNetMinor({
    method: 'store',
    lines: got,
    back: receivedLines(got),
    replacements: dearer,
    policy,
  });
  expect(net.netMinor).toBe(-1000);
  const charged = rma({
    refund: { instant: false, feeMinor: 0, refundedMinor: 0, chargedMinor: 1000, failedMinor: 0 },
  });
  expect(settlementMinor(net.netMinor, charged)).toBe(0);
  const cheaper = [{ lineId: 'l1', sku: 'COAT-RED-S', quantity: 1, unitPriceMinor: 4000 }];
  expect(
    returnNetMinor({ method: 'store', lines: got, back: receivedLines(got), replacements: cheaper, policy })
      .netMinor,
  ).toBe(500);
});

test('a replacement shipped for a return that never arrives is charged in full', () => {
  const lines = [line({ quantity: 1 })];
  const replacement = [{ lineId: 'l1', sku: 'COAT-BLUE-L', quantity: 1, unitPriceMinor: 5500 }];
  const { netMinor } = returnNetMinor({
    method: 'store',
    lines,
    back: receivedLines(lines),
    replacements: replacement,
    policy,
  });
  const charged = rma({
    refund: { instant: false, feeMinor: 0, refundedMinor: 0, chargedMinor: 1000, failedMinor: 0 },
  });
  expect(settlementMinor(netMinor, charged)).toBe(-4500);
});

test('refund sources are the captured pots less refunds, the returned fulfilments first', () => {
  const account = createPaymentAccount();
  recordAuthorization(account, {
    authorizationId: 'A',
    idempotencyKey: 'auth:o1',
    amountMinor: 20000,
    status: 'authorized',
  });
  recordCapture(account, {
    idempotencyKey: 'c1',
    authorizationId: 'A',
    amountMinor: 8000,
    fulfillmentId: 'F1',
    at: 'x',
  });
  recordCapture(account, {
    idempotencyKey: 'c2',
    authorizationId: 'A',
    amountMinor: 12000,
    fulfillmentId: 'F2',
    at: 'x',
  });
  recordRefund(account, {
    idempotencyKey: 'r1',
    authorizationId: 'A',
    amountMinor: 3000,
    fulfillmentId: 'F2',
    at: 'x',
  });
  const sources = refundSources(account, ['F2']);
  expect(sources).toEqual([
    { authorizationId: 'A', fulfillmentId: 'F2', amountMinor: 9000 },
    { authorizationId: 'A', fulfillmentId: 'F1', amountMinor: 8000 },
  ]);
  expect(splitOverSources(sources, 10000)).toEqual([
    { authorizationId: 'A', fulfillmentId: 'F2', amountMinor: 9000 },
    { authorizationId: 'A', fulfillmentId: 'F1', amountMinor: 1000 },
  ]);
});

test('open returns keep aside what they may still refund; settled ones keep nothing', () => {
  const open = rma({ lines: [line({ quantity: 2 })] });
  const settled = rma({ status: 'completed', lines: [line({ received: { sellable: 2, damaged: 0 } })] });
  expect(committedToReturnsMinor([open, settled], policy)).toBe(9000);
  const instant = rma({
    refund: { instant: true, feeMinor: 0, refundedMinor: 4500, chargedMinor: 0, failedMinor: 0 },
  });
  expect(committedToReturnsMinor([instant], policy)).toBe(0);
});
