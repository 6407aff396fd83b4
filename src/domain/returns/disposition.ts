import type { DispositionView } from './return-view';

/**
 * Where sellable returned units should go: they stay at the receiving node unless another node sells the SKU
 * more (by units shipped from it), then the suggestion is to transfer them there. A suggestion only: the
 * units are on sale at the receiving node at once.
 */
export function suggestDisposition(input: {
  sku: string;
  nodeId: string;
  quantity: number;
  /** Units of the SKU shipped (sold) from each node. */
  shippedByNode: Record<string, number>;
}): DispositionView {
  const here = input.shippedByNode[input.nodeId] ?? 0;
  const best = Object.entries(input.shippedByNode)
    .filter(([nodeId, units]) => nodeId !== input.nodeId && units > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0];
  const base = { sku: input.sku, nodeId: input.nodeId, quantity: input.quantity };
  if (!best || best[1] <= here) {
    return {
      ...base,
      action: 'keep',
      reason: here > 0 ? `sells most at ${input.nodeId} (${here} shipped)` : 'no sales recorded elsewhere',
    };
  }
  return {
    ...base,
    action: 'transfer',
    toNodeId: best[0],
    reason: `sells most at ${best[0]} (${best[1]} shipped, ${here} at ${input.nodeId})`,
  };
}
