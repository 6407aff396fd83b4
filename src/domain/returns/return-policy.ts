/** The retailer's return rules; the worker reads them from the configuration (OMS_RETURN_*). */
export interface ReturnPolicy {
  /** Days after delivery (or pickup) a unit may be returned, unless its product sets its own. */
  windowDays: number;
  /** When set, VIP customers have at least this many days, whatever the product's window. */
  vipWindowDays?: number;
  /** Days an RMA waits for the parcel or the store visit before it expires. */
  expiryDays: number;
  /** Deducted from the refund of a mail or locker return, unless a reason is the retailer's fault. */
  mailFeeMinor: number;
  /** The most one appeasement may credit, by the granting role; a role not listed may not grant any. */
  appeasementCaps: Record<string, number>;
}

export const DEFAULT_RETURN_POLICY: ReturnPolicy = {
  windowDays: 30,
  expiryDays: 30,
  mailFeeMinor: 0,
  appeasementCaps: { agent: 5_000, admin: 50_000 },
};

/** Reasons that are the retailer's fault: the customer pays no return fee. */
export const FAULT_REASONS: readonly string[] = ['defective', 'damaged', 'wrong_item', 'not_as_described'];

/** The customer as the return rules see them. */
export interface CustomerStanding {
  tier: 'standard' | 'vip';
  /** Trusted customers are refunded when the RMA is created, before the parcel arrives. */
  trustedReturns: boolean;
}

export const STANDARD_CUSTOMER: CustomerStanding = { tier: 'standard', trustedReturns: false };

/** A catalogue entry as returns and exchanges need it. */
export interface ProductTerms {
  priceMinor: number;
  currency: string;
  /** The product family (other sizes and colours of it may be exchanged for it). */
  family: string;
  returnWindowDays?: number;
}

/** Everything the return rules need that lives outside the order: policy, catalogue and customer. */
export interface ReturnTerms {
  policy: ReturnPolicy;
  products: Record<string, ProductTerms>;
  customer: CustomerStanding;
}

/**
 * The product family of a SKU when the catalogue names none: the SKU up to its last two dash-separated parts
 * (colour and size: `TRENCH-BEIGE-M` → `TRENCH`), or the whole SKU when it has fewer parts.
 */
export function familyOfSku(sku: string): string {
  const parts = sku.split('-');
  return parts.length > 2 ? parts.slice(0, -2).join('-') : parts[0]!;
}

/** Days a unit of this SKU may be returned after delivery, for this customer. */
export function returnWindowDays(sku: string, terms: ReturnTerms): number {
  const own = terms.products[sku]?.returnWindowDays ?? terms.policy.windowDays;
  const vip = terms.customer.tier === 'vip' ? terms.policy.vipWindowDays : undefined;
  return vip !== undefined ? Math.max(own, vip) : own;
}
