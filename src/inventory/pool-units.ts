import type { InventoryDoc } from '../db/documents';

/** How units taken from holds go back, as parts of one conditional update. */
export interface HoldReturn {
  /** Filter parts: each hold's existence as read, so the split stays true when the update lands. */
  conditions: Record<string, unknown>;
  /** `$inc` parts: each existing hold and `heldTotal` (general availability is the caller's). */
  inc: Record<string, number>;
  /** Units given back to each hold that still exists. */
  backToHolds: Record<string, number>;
  /** Units whose hold no longer exists: they go to general availability. */
  toGeneral: number;
}

/** Gives units taken from holds back to each hold while it exists, else to general availability. */
export function returnToHolds(
  holds: InventoryDoc['holds'],
  units: Record<string, number> | undefined,
): HoldReturn {
  const result: HoldReturn = { conditions: {}, inc: {}, backToHolds: {}, toGeneral: 0 };
  let total = 0;
  for (const [pool, n] of Object.entries(units ?? {})) {
    if (n <= 0) continue;
    const exists = holds?.[pool] !== undefined;
    result.conditions[`holds.${pool}`] = { $exists: exists };
    if (!exists) {
      result.toGeneral += n;
      continue;
    }
    result.backToHolds[pool] = n;
    result.inc[`holds.${pool}`] = n;
    total += n;
  }
  if (total > 0) result.inc.heldTotal = total;
  return result;
}

/** How many units to take from each of the caller's holds, first pool first. */
export function takeFromHolds(
  holds: InventoryDoc['holds'],
  pools: string[],
  quantity: number,
): Record<string, number> {
  const take: Record<string, number> = {};
  let remaining = quantity;
  for (const pool of pools) {
    const units = Math.min(remaining, Math.max(0, holds?.[pool] ?? 0));
    if (units > 0) take[pool] = units;
    remaining -= units;
  }
  return take;
}

/** Adds (or, with sign -1, removes) per-pool units; pools that reach zero disappear. */
export function addPools(
  base: Record<string, number> | undefined,
  change: Record<string, number>,
  sign: 1 | -1 = 1,
): Record<string, number> {
  const sum: Record<string, number> = { ...base };
  for (const [pool, n] of Object.entries(change)) sum[pool] = (sum[pool] ?? 0) + sign * n;
  return Object.fromEntries(Object.entries(sum).filter(([, n]) => n !== 0));
}
