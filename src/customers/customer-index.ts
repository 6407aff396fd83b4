import type { Collections } from '../db/collections';
import type { CustomerTier } from '../db/documents';
import { isDuplicateKey } from '../inventory/ledger';
import { STANDARD_CUSTOMER, type CustomerStanding } from '../domain/returns/return-policy';

export interface CustomerOrderRef {
  customerId: string;
  email: string;
  orderId: string;
}

/** Runs an upsert; a racing upsert of the same `_id` makes ours fail once, and the second try updates it. */
async function upsertTwice(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await run();
  }
}

/**
 * Lists an order under its customer and the email it was placed with (idempotent `$addToSet`s), so the
 * customer 360 view and the search by email are `_id` lookups.
 */
export async function indexCustomerOrder(c: Collections, ref: CustomerOrderRef): Promise<void> {
  const email = ref.email.toLowerCase();
  const now = new Date().toISOString();
  await upsertTwice(() =>
    c.customers.updateOne(
      { _id: ref.customerId },
      { $addToSet: { orderIds: ref.orderId, emails: email }, $set: { updatedAt: now } },
      { upsert: true },
    ),
  );
  await upsertTwice(() =>
    c.customerEmails.updateOne(
      { _id: email },
      { $addToSet: { customerIds: ref.customerId } },
      { upsert: true },
    ),
  );
}

export interface CustomerProfile {
  tier?: CustomerTier;
  trustedReturns?: boolean;
}

/** Sets what the return rules know of a customer (VIP tier, trusted returns); answers the standing. */
export async function setCustomerProfile(
  c: Collections,
  customerId: string,
  profile: CustomerProfile,
): Promise<CustomerStanding> {
  await upsertTwice(() =>
    c.customers.updateOne(
      { _id: customerId },
      {
        $set: { ...profile, updatedAt: new Date().toISOString() },
        $setOnInsert: { orderIds: [], emails: [] },
      },
      { upsert: true },
    ),
  );
  return readCustomerStanding(c, customerId);
}

/** The customer's standing for the return rules: standard and not trusted unless set. */
export async function readCustomerStanding(c: Collections, customerId: string): Promise<CustomerStanding> {
  const doc = await c.customers.findOne({ _id: customerId }, { projection: { tier: 1, trustedReturns: 1 } });
  return {
    tier: doc?.tier ?? STANDARD_CUSTOMER.tier,
    trustedReturns: doc?.trustedReturns ?? STANDARD_CUSTOMER.trustedReturns,
  };
}
