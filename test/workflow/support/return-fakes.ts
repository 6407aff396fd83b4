import type { OrderActivities } from '../../../activities';
import { createFakeOrderActivities, type ServerClock } from './fake-order-activities';
import {
  DEFAULT_RETURN_POLICY,
  STANDARD_CUSTOMER,
  type ReturnPolicy,
  type ReturnTerms,
} from '../../../src/domain/returns/return-policy';

/** A payment provider that keeps one answer per idempotency key: money moves once per key. */
export function createFakeProvider() {
  const moved = new Map<string, { operation: string; amountMinor: number }>();
  const once = <T>(key: string, operation: string, amountMinor: number, answer: T): Promise<T> => {
    if (!moved.has(key)) moved.set(key, { operation, amountMinor });
    return Promise.resolve(answer);
  };
  const total = (operation: string) =>
    [...moved.values()].filter((m) => m.operation === operation).reduce((sum, m) => sum + m.amountMinor, 0);
  const overrides: Partial<OrderActivities> = {
    authorizePayment: ({ idempotencyKey, amountMinor }) =>
      once(idempotencyKey, 'authorize', amountMinor, {
        status: 'authorized' as const,
        authorizationId: `A:${idempotencyKey}`,
        amountMinor,
        expiresAt: '2999-01-01T00:00:00.000Z',
      }),
    capturePayment: ({ idempotencyKey, amountMinor }) =>
      once(idempotencyKey, 'capture', amountMinor, { captureId: `C:${idempotencyKey}`, amountMinor }),
    refundPayment: ({ idempotencyKey, amountMinor }) =>
      once(idempotencyKey, 'refund', amountMinor, { refundId: `R:${idempotencyKey}`, amountMinor }),
  };
  return {
    moved,
    total,
    overrides,
    keys: (operation: string) => [...moved].filter(([, m]) => m.operation === operation).map(([k]) => k),
  };
}

/**
 * Terms with SKU-B returnable for 14 days, SCARF-LONG for 90, two COAT sizes to exchange, the given customer
 * standing and the default policy with the given changes.
 */
export function termsWith(
  customer: Partial<ReturnTerms['customer']> = {},
  policy: Partial<ReturnPolicy> = {},
): OrderActivities['readReturnTerms'] {
  return () =>
    Promise.resolve({
      policy: { ...DEFAULT_RETURN_POLICY, ...policy },
      products: {
        'COAT-RED-M': { priceMinor: 4500, currency: 'EUR', family: 'COAT' },
        'COAT-BLUE-L': { priceMinor: 5500, currency: 'EUR', family: 'COAT' },
        'SKU-B': { priceMinor: 9000, currency: 'EUR', family: 'SKU', returnWindowDays: 14 },
        'SCARF-LONG': { priceMinor: 3000, currency: 'EUR', family: 'SCARF', returnWindowDays: 90 },
      },
      customer: { ...STANDARD_CUSTOMER, ...customer },
    });
}

/** In-memory activities over a fake provider, reading termsWith() unless the overrides replace it. */
export function createReturnFakes(clock: ServerClock, overrides: Partial<OrderActivities> = {}) {
  const provider = createFakeProvider();
  const fake = createFakeOrderActivities(clock, {
    ...provider.overrides,
    readReturnTerms: termsWith(),
    ...overrides,
  });
  return { provider, fake };
}

/** What createReturnFakes made: the provider's record of money moved and the activities' log. */
export type ReturnFakes = ReturnType<typeof createReturnFakes>;
