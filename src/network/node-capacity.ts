import type { Collections } from '../db/collections';
import { isDuplicateKey } from '../inventory/ledger';

/** One order's claim on one node's capacity for one day. */
export interface CapacityClaim {
  nodeId: string;
  orderId: string;
  /** YYYY-MM-DD (UTC), the day the order is taken. */
  day: string;
}

/** Whether the order now counts against the node's day: `full` when the node had no room left. */
export type ClaimOutcome = 'claimed' | 'full';

/** `_id` of a node's capacity record for one day. */
export const nodeCapacityId = (nodeId: string, day: string): string => `${nodeId}:${day}`;

/**
 * The UTC calendar day of an ISO instant: capacity counts per node per day. UTC on purpose: nodes carry no
 * time zone (the contract's node has none), and the promise engine's day is UTC too (`cutoffHourUtc`,
 * dispatch dates), so the day an order is counted against is the day it is dispatched on. A node in Paris
 * thus starts its capacity day at 01:00 or 02:00 local time; its capacity is per UTC day.
 */
export const capacityDay = (instant: string): string => new Date(instant).toISOString().slice(0, 10);

/** Creates the day's record if it is missing; a racing creator winning is just as good. */
async function ensureDayRecord(c: Collections, { nodeId, day }: CapacityClaim, at: string): Promise<void> {
  try {
    await c.nodeCapacity.updateOne(
      { _id: nodeCapacityId(nodeId, day) },
      { $setOnInsert: { nodeId, day, used: 0, orders: {}, updatedAt: at } },
      { upsert: true },
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/**
 * Counts the order against the node's daily capacity: one atomic conditional update (room left, or no
 * capacity at all, and the order not counted yet). Claiming twice is a no-op that answers `claimed`.
 */
export async function claimNodeCapacity(
  c: Collections,
  claim: CapacityClaim,
  capacity: number | undefined,
): Promise<ClaimOutcome> {
  const at = new Date().toISOString();
  await ensureDayRecord(c, claim, at);
  const _id = nodeCapacityId(claim.nodeId, claim.day);
  const orderField = `orders.${claim.orderId}`;
  const claimed = await c.nodeCapacity.updateOne(
    {
      _id,
      [orderField]: { $exists: false },
      ...(capacity !== undefined ? { used: { $lt: capacity } } : {}),
    },
    {
      $inc: { used: 1 },
      $set: { [orderField]: 1, updatedAt: at, ...(capacity !== undefined ? { capacity } : {}) },
    },
  );
  if (claimed.modifiedCount === 1) return 'claimed';
  // Nothing changed: either an earlier attempt already counted this order, or the node is full.
  const already = await c.nodeCapacity.countDocuments({ _id, [orderField]: { $exists: true } });
  return already > 0 ? 'claimed' : 'full';
}

/** Gives the order's unit of capacity back; releasing an order never counted is a no-op. */
export async function releaseNodeCapacity(c: Collections, claim: CapacityClaim): Promise<void> {
  const orderField = `orders.${claim.orderId}`;
  await c.nodeCapacity.updateOne(
    { _id: nodeCapacityId(claim.nodeId, claim.day), [orderField]: { $exists: true } },
    { $inc: { used: -1 }, $unset: { [orderField]: '' }, $set: { updatedAt: new Date().toISOString() } },
  );
}

/** Orders each node has taken on the day, by nodeId (nodes without a record have taken none). */
export async function usedCapacity(
  c: Collections,
  nodeIds: readonly string[],
  day: string,
): Promise<Map<string, number>> {
  const ids = nodeIds.map((nodeId) => nodeCapacityId(nodeId, day));
  const docs = ids.length > 0 ? await c.nodeCapacity.find({ _id: { $in: ids } }).toArray() : [];
  return new Map(docs.map((doc) => [doc.nodeId, doc.used]));
}
