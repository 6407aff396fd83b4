import type { OrderView } from '../../../src/domain/order-view';
import {
  DEFAULT_RETURN_POLICY,
  STANDARD_CUSTOMER,
  type ReturnTerms,
} from '../../../src/domain/returns/return-policy';
import type { ReturnView } from '../../../src/domain/returns/return-view';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DELIVERED_AT = '2026-03-01T10:00:00.000Z';
export const daysAfterDelivery = (days: number): number => Date.parse(DELIVERED_AT) + days * DAY_MS;

/** An order of two lines (2 × SKU-A at 4500, 1 × SKU-B at 9000) delivered in one parcel on DELIVERED_AT. */
export function deliveredOrder(overrides: Partial<OrderView> = {}): OrderView {
  return {
    orderId: 'o1',
    status: 'completed',
    channel: 'web',
    customer: { id: 'c1', email: 'ada@example.com' },
    currency: 'EUR',
    totalMinor: 18000,
    delivery: { method: 'ship' },
    lines: [
      { lineId: 'l1', sku: 'COAT-RED-M', quantity: 2, unitPriceMinor: 4500, status: 'delivered' },
      { lineId: 'l2', sku: 'SKU-B', quantity: 1, unitPriceMinor: 9000, status: 'delivered' },
    ],
    fulfillments: [
      {
        fulfillmentId: 'o1-F1',
        nodeId: 'WH',
        status: 'delivered',
        lines: [
          { lineId: 'l1', quantity: 2 },
          { lineId: 'l2', quantity: 1 },
        ],
      },
    ],
    payment: { status: 'captured', authorizedMinor: 18000, capturedMinor: 18000, refundedMinor: 0 },
    returns: [],
    timeline: [{ at: DELIVERED_AT, type: 'fulfillment_delivered', detail: 'o1-F1 TRK1', actor: 'carrier' }],
    createdAt: '2026-02-27T10:00:00.000Z',
    updatedAt: DELIVERED_AT,
    version: 5,
    ...overrides,
  };
}

export function terms(overrides: Partial<ReturnTerms> = {}): ReturnTerms {
  return {
    policy: { ...DEFAULT_RETURN_POLICY },
    products: {
      'COAT-RED-M': { priceMinor: 4500, currency: 'EUR', family: 'COAT' },
      'COAT-BLUE-L': { priceMinor: 5500, currency: 'EUR', family: 'COAT' },
      'COAT-RED-S': { priceMinor: 4000, currency: 'EUR', family: 'COAT' },
      'SKU-B': { priceMinor: 9000, currency: 'EUR', family: 'SKU', returnWindowDays: 14 },
    },
    customer: { ...STANDARD_CUSTOMER },
    ...overrides,
  };
}

/** An RMA of the order, open unless said otherwise. */
export function rma(overrides: Partial<ReturnView> = {}): ReturnView {
  return {
    rmaId: 'o1-R1',
    orderId: 'o1',
    customerId: 'c1',
    currency: 'EUR',
    status: 'awaiting_return',
    method: 'store',
    lines: [{ lineId: 'l1', sku: 'COAT-RED-M', quantity: 1, reason: 'wrong_size', unitPriceMinor: 4500 }],
    actor: 'channel:web',
    createdAt: DELIVERED_AT,
    updatedAt: DELIVERED_AT,
    expiresAt: DELIVERED_AT,
    dispositions: [],
    refund: { instant: false, feeMinor: 0, refundedMinor: 0, chargedMinor: 0, failedMinor: 0 },
    payments: [],
    timeline: [],
    version: 1,
    ...overrides,
  };
}
