import type { Db } from 'mongodb';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Records kept only to answer repeats (Idempotency-Key replays, webhook redeliveries) carry an `expireAt`;
 * past it, a TTL index lets MongoDB drop them. Longer than any client or provider retries: Stripe-style
 * idempotency keys live a day, carriers and payment providers redeliver for a few days.
 */
export const RETENTION_DAYS = {
  idempotency: 7,
  carrier_events: 90,
  payment_events: 90,
} as const;
export type RetainedCollection = keyof typeof RETENTION_DAYS;

/** When a record of this collection written now may be dropped. */
export const expiryFor = (collection: RetainedCollection, now: Date = new Date()): Date =>
  new Date(now.getTime() + RETENTION_DAYS[collection] * DAY_MS);

/**
 * One TTL index per retained collection. Real MongoDB enforces it (its TTL monitor runs every 60 s); the
 * Java dev server accepts the index but never drops anything, which is harmless for a dev stack.
 */
export async function ensureRetentionIndexes(db: Db): Promise<void> {
  for (const collection of Object.keys(RETENTION_DAYS) as RetainedCollection[]) {
    await db
      .collection(collection)
      .createIndex({ expireAt: 1 }, { expireAfterSeconds: 0, name: 'retention' });
  }
}
