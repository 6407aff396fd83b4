import { refuseAppeasement } from '../../../src/domain/returns/appeasement';
import { RETURN_REJECTIONS } from '../../../src/domain/returns/return-rejections';
import { deliveredOrder } from './return-fixtures';

const caps = { agent: 5000, admin: 50000 };
const room = { capturedMinor: 18000, refundedMinor: 0, committedMinor: 0 };
const ask = (amountMinor: number, role = 'agent', lineId?: string) => ({
  amountMinor,
  role,
  actor: `${role}:k`,
  reasonCode: 'late_delivery',
  ...(lineId ? { lineId } : {}),
});

test('an agent may grant up to the cap of the role', () => {
  expect(refuseAppeasement(ask(5000), deliveredOrder(), room, caps)).toBeUndefined();
  expect(refuseAppeasement(ask(5001), deliveredOrder(), room, caps)?.type).toBe(RETURN_REJECTIONS.aboveCap);
  expect(
    refuseAppeasement(ask(20000, 'admin'), deliveredOrder(), { ...room, capturedMinor: 30000 }, caps),
  ).toBeUndefined();
});

test('a role without a cap may not grant appeasements', () => {
  expect(refuseAppeasement(ask(100, 'channel'), deliveredOrder(), room, caps)?.type).toBe(
    RETURN_REJECTIONS.appeasementNotAllowed,
  );
});

test('never above captured minus refunded, less what open returns keep', () => {
  expect(refuseAppeasement(ask(3000), deliveredOrder(), { ...room, refundedMinor: 15500 }, caps)?.type).toBe(
    RETURN_REJECTIONS.aboveRefundable,
  );
  expect(refuseAppeasement(ask(3000), deliveredOrder(), { ...room, committedMinor: 16000 }, caps)?.type).toBe(
    RETURN_REJECTIONS.aboveRefundable,
  );
  expect(
    refuseAppeasement(
      ask(100),
      deliveredOrder(),
      { capturedMinor: 0, refundedMinor: 0, committedMinor: 0 },
      caps,
    )?.type,
  ).toBe(RETURN_REJECTIONS.aboveRefundable);
});

test('a line appeasement is at most the line value; an unknown line is an invalid request', () => {
  expect(refuseAppeasement(ask(9001, 'admin', 'l1'), deliveredOrder(), room, caps)?.type).toBe(
    RETURN_REJECTIONS.aboveRefundable,
  );
  expect(refuseAppeasement(ask(100, 'agent', 'nope'), deliveredOrder(), room, caps)?.type).toBe(
    RETURN_REJECTIONS.invalidRequest,
  );
});
