import type { Collections } from '../db/collections';

/**
 * Units of a SKU shipped (sold) from each node, from the stock ledger's `ship` movements. Off the hot path
 * (one read per returned SKU at receipt): indexed by `sku` on MongoDB, a scan on the dev server.
 */
export async function shippedByNode(c: Collections, sku: string): Promise<Record<string, number>> {
  const lines = await c.stockLedger
    .find({ sku, movement: 'ship' }, { projection: { nodeId: 1, onHandDelta: 1 } })
    .toArray();
  const byNode: Record<string, number> = {};
  for (const line of lines) byNode[line.nodeId] = (byNode[line.nodeId] ?? 0) - line.onHandDelta;
  return byNode;
}
