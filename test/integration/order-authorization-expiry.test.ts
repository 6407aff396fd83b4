import type { LiveStack } from './support/live-stack';
import {
  countOperations,
  fulfillmentAt,
  pause,
  paymentSummary,
  reportCarrierEvent,
  shipFulfillment,
  waitForStatus,
} from './support/order-driver';
import { OTHER_PRICE, PRICE, placeSplitOrder, startSeededStack } from './support/lifecycle-fixtures';

// The simulated provider's authorisations hold the money for a few seconds only (a real one: days), so a
// split order's second parcel ships after its authorisation lapsed: the order must authorise again what it
// still owes and capture it once, and never capture on the lapsed authorisation.

const VALIDITY_SECONDS = 8;

describe('a parcel shipped after the authorisation expired', () => {
  let stack: LiveStack;
  let orderId: string;

  beforeAll(async () => {
    stack = await startSeededStack({
      name: 'expiry',
      simulation: 'manual',
      authValiditySeconds: VALIDITY_SECONDS,
    });
    ({ orderId } = await placeSplitOrder(stack));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  test('the first parcel is captured on the first authorisation, the second on a new one for its share', async () => {
    const confirmed = await waitForStatus(stack, orderId, 'confirmed');
    const first = await shipFulfillment(stack, fulfillmentAt(confirmed, 'WH-LYON').fulfillmentId);
    await waitForStatus(stack, orderId, 'partially_shipped');

    const authorization = await stack.paymentLedger().findOne({ _id: `auth:${orderId}` });
    const expiresAt = Date.parse(authorization?.expiresAt ?? '');
    expect(expiresAt).toBeGreaterThan(Date.now()); // the first capture was in time
    await pause(expiresAt - Date.now() + 500);

    const second = await shipFulfillment(stack, fulfillmentAt(confirmed, 'WH-PARIS').fulfillmentId);
    await waitForStatus(stack, orderId, 'shipped');
    for (const trackingNumber of [first, second])
      await reportCarrierEvent(stack, trackingNumber, 'delivered');
    const view = await waitForStatus(stack, orderId, 'completed');
    expect(view.payment).toMatchObject({ status: 'captured', capturedMinor: 2 * PRICE + OTHER_PRICE });
    expect(view.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['payment_authorization_expired']),
    );

    const money = await paymentSummary(stack, orderId);
    expect(countOperations(money)).toEqual({ authorize: 2, capture: 2 });
    const authorizations = money.operations.filter((op) => op.operation === 'authorize');
    expect(authorizations.map((op) => [op.key, op.amountMinor])).toEqual([
      [`auth:${orderId}`, 2 * PRICE + OTHER_PRICE],
      [`auth:${orderId}:2`, OTHER_PRICE],
    ]);
    const captures = money.operations.filter((op) => op.operation === 'capture');
    expect(captures.map((op) => [op.authorizationId, op.amountMinor])).toEqual([
      [`auth:${orderId}`, 2 * PRICE],
      [`auth:${orderId}:2`, OTHER_PRICE],
    ]);
    // What the lapsed authorisation still held was released by the provider, not captured or voided.
    expect(money).toMatchObject({
      capturedMinor: 2 * PRICE + OTHER_PRICE,
      voidedMinor: 0,
      openMinor: 0, // the new authorisation was for exactly what was still owed
      lapsedMinor: OTHER_PRICE,
      accountsAgree: true,
    });
  });
});
