import fc from 'fast-check';
import {
  allocateCapture,
  allocateRefund,
  allocateVoid,
  capturableMinor,
  createPaymentAccount,
  expireAuthorizations,
  openMinor,
  paymentView,
  recordAuthorization,
  recordCapture,
  recordRefund,
  recordVoid,
  refundableMinor,
  type PaymentAccount,
} from '../../../src/domain/payment-account';

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function authorized(amountMinor: number, id = 'A1', expiresInDays = 7): PaymentAccount {
  const account = createPaymentAccount();
  recordAuthorization(account, {
    authorizationId: id,
    idempotencyKey: `auth:${id}`,
    amountMinor,
    status: 'authorized',
    expiresAt: iso(T0 + expiresInDays * DAY_MS),
  });
  return account;
}

test('a fresh authorisation is all capturable and shows as authorized', () => {
  const account = authorized(9000);
  expect(capturableMinor(account, T0)).toBe(9000);
  expect(paymentView(account, T0)).toEqual({
    status: 'authorized',
    authorizedMinor: 9000,
    capturedMinor: 0,
    refundedMinor: 0,
    voidedMinor: 0,
  });
});

test('capturing one share leaves the rest capturable and the payment partially captured', () => {
  const account = authorized(9000);
  const [share] = allocateCapture(account, 4500, T0)!;
  recordCapture(account, { idempotencyKey: 'capture:F1', ...share!, fulfillmentId: 'F1', at: iso(T0) });
  expect(capturableMinor(account, T0)).toBe(4500);
  expect(paymentView(account, T0)).toMatchObject({ status: 'partially_captured', capturedMinor: 4500 });
});

test('the same capture recorded twice counts once', () => {
  const account = authorized(9000);
  const capture = { idempotencyKey: 'capture:F1', authorizationId: 'A1', amountMinor: 4500, at: iso(T0) };
  recordCapture(account, capture);
  recordCapture(account, capture);
  expect(paymentView(account, T0).capturedMinor).toBe(4500);
});

test('an authorisation past its expiry cannot be captured from, and what lapsed is answered for re-authorisation', () => {
  const account = authorized(9000);
  const later = T0 + 8 * DAY_MS;
  expect(allocateCapture(account, 4500, later)).toBeUndefined();
  expect(expireAuthorizations(account, later)).toBe(9000);
  expect(expireAuthorizations(account, later)).toBe(0);
  recordAuthorization(account, {
    authorizationId: 'A2',
    idempotencyKey: 'auth:o:2',
    amountMinor: 9000,
    status: 'authorized',
    expiresAt: iso(later + 7 * DAY_MS),
  });
  expect(allocateCapture(account, 4500, later)).toEqual([{ authorizationId: 'A2', amountMinor: 4500 }]);
  // The renewed authorisation is not counted on top of the one that lapsed.
  expect(paymentView(account, later).authorizedMinor).toBe(9000);
});

test('a capture larger than one authorisation is split over two, the one expiring first first', () => {
  const account = authorized(5000, 'A1', 7);
  recordAuthorization(account, {
    authorizationId: 'A2',
    idempotencyKey: 'auth:o:2',
    amountMinor: 3000,
    status: 'authorized',
    expiresAt: iso(T0 + 3 * DAY_MS),
  });
  expect(allocateCapture(account, 6000, T0)).toEqual([
    { authorizationId: 'A2', amountMinor: 3000 },
    { authorizationId: 'A1', amountMinor: 3000 },
  ]);
  expect(allocateCapture(account, 9000, T0)).toBeUndefined();
});

test('a void gives back at most what is still open, newest authorisation first', () => {
  const account = authorized(5000, 'A1');
  recordAuthorization(account, {
    authorizationId: 'A2',
    idempotencyKey: 'auth:o:2',
    amountMinor: 1000,
    status: 'authorized',
    expiresAt: iso(T0 + 7 * DAY_MS),
  });
  expect(allocateVoid(account, 2000, T0)).toEqual([
    { authorizationId: 'A2', amountMinor: 1000 },
    { authorizationId: 'A1', amountMinor: 1000 },
  ]);
  expect(allocateVoid(account, 99_999, T0).reduce((s, v) => s + v.amountMinor, 0)).toBe(6000);
});

test('an order voided in full before any capture shows voided', () => {
  const account = authorized(9000);
  recordVoid(account, { idempotencyKey: 'void:1', authorizationId: 'A1', amountMinor: 9000, at: iso(T0) });
  expect(paymentView(account, T0)).toMatchObject({ status: 'voided', voidedMinor: 9000, capturedMinor: 0 });
});

test('an authorisation in fraud review shows review and can be voided', () => {
  const account = createPaymentAccount();
  recordAuthorization(account, {
    authorizationId: 'A1',
    idempotencyKey: 'auth:o',
    amountMinor: 9000,
    status: 'review',
    expiresAt: iso(T0 + 7 * DAY_MS),
  });
  expect(paymentView(account, T0).status).toBe('review');
  expect(allocateCapture(account, 1, T0)).toBeUndefined();
  expect(allocateVoid(account, 9000, T0)).toEqual([{ authorizationId: 'A1', amountMinor: 9000 }]);
});

test('refunds are bounded by what a fulfilment captured and turn the status to partially refunded, then refunded', () => {
  const account = authorized(9000);
  recordCapture(account, {
    idempotencyKey: 'c1',
    authorizationId: 'A1',
    amountMinor: 4500,
    fulfillmentId: 'F1',
    at: iso(T0),
  });
  recordCapture(account, {
    idempotencyKey: 'c2',
    authorizationId: 'A1',
    amountMinor: 4500,
    fulfillmentId: 'F2',
    at: iso(T0),
  });
  expect(refundableMinor(account, 'F1')).toBe(4500);
  recordRefund(account, { idempotencyKey: 'r1', amountMinor: 4500, fulfillmentId: 'F1', at: iso(T0) });
  expect(refundableMinor(account, 'F1')).toBe(0);
  expect(paymentView(account, T0)).toMatchObject({ status: 'partially_refunded', refundedMinor: 4500 });
  recordRefund(account, { idempotencyKey: 'r2', amountMinor: 4500, fulfillmentId: 'F2', at: iso(T0) });
  expect(paymentView(account, T0).status).toBe('refunded');
});

test('a pending authorisation shows pending, then authorized once the provider answers', () => {
  const account = createPaymentAccount();
  recordAuthorization(account, {
    authorizationId: 'A1',
    idempotencyKey: 'auth:o',
    amountMinor: 9000,
    status: 'pending',
  });
  expect(paymentView(account, T0)).toMatchObject({ status: 'pending', authorizedMinor: 0 });
  recordAuthorization(account, {
    authorizationId: 'A1',
    idempotencyKey: 'auth:o',
    amountMinor: 9000,
    status: 'authorized',
    expiresAt: iso(T0 + DAY_MS),
  });
  expect(account.authorizations).toHaveLength(1);
  expect(paymentView(account, T0)).toMatchObject({ status: 'authorized', authorizedMinor: 9000 });
});

test('whatever is captured and voided, no authorisation gives more than it holds', () => {
  const operation = fc.record({
    kind: fc.constantFrom('capture', 'void'),
    amount: fc.integer({ min: 1, max: 4000 }),
  });
  fc.assert(
    fc.property(fc.array(operation, { maxLength: 12 }), (operations) => {
      const account = authorized(6000, 'A1');
      recordAuthorization(account, {
        authorizationId: 'A2',
        idempotencyKey: 'auth:o:2',
        amountMinor: 3000,
        status: 'authorized',
        expiresAt: iso(T0 + DAY_MS),
      });
      operations.forEach(({ kind, amount }, n) => {
        const shares =
          kind === 'capture'
            ? (allocateCapture(account, amount, T0) ?? [])
            : allocateVoid(account, amount, T0);
        shares.forEach((share, i) => {
          const movement = { idempotencyKey: `${kind}:${n}:${i}`, ...share, at: iso(T0) };
          if (kind === 'capture') recordCapture(account, movement);
          else recordVoid(account, movement);
        });
      });
      for (const auth of account.authorizations) expect(openMinor(auth)).toBeGreaterThanOrEqual(0);
      const view = paymentView(account, T0);
      expect(view.capturedMinor + (view.voidedMinor ?? 0) + capturableMinor(account, T0)).toBe(9000);
    }),
  );
});

test('a refund goes back against the authorisations the share was captured from, at most what is left', () => {
  const account = authorized(5000, 'A1');
  recordAuthorization(account, {
    authorizationId: 'A2',
    idempotencyKey: 'auth:o:2',
    amountMinor: 5000,
    status: 'authorized',
    expiresAt: iso(T0 + DAY_MS),
  });
  recordCapture(account, {
    idempotencyKey: 'c1',
    authorizationId: 'A1',
    amountMinor: 5000,
    fulfillmentId: 'F1',
    at: iso(T0),
  });
  recordCapture(account, {
    idempotencyKey: 'c2',
    authorizationId: 'A2',
    amountMinor: 2000,
    fulfillmentId: 'F1',
    at: iso(T0),
  });
  recordCapture(account, {
    idempotencyKey: 'c3',
    authorizationId: 'A2',
    amountMinor: 3000,
    fulfillmentId: 'F2',
    at: iso(T0),
  });
  recordRefund(account, {
    idempotencyKey: 'r1',
    authorizationId: 'A1',
    amountMinor: 1000,
    fulfillmentId: 'F1',
    at: iso(T0),
  });
  expect(allocateRefund(account, 99_999, 'F1')).toEqual([
    { authorizationId: 'A1', fulfillmentId: 'F1', amountMinor: 4000 },
    { authorizationId: 'A2', fulfillmentId: 'F1', amountMinor: 2000 },
  ]);
  expect(allocateRefund(account, 500, 'F2')).toEqual([
    { authorizationId: 'A2', fulfillmentId: 'F2', amountMinor: 500 },
  ]);
});
