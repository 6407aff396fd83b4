import { haversineKm } from './geo';

/** What sourcing needs to know about a node. */
export interface SourcingNode {
  nodeId: string;
  location: { lat: number; lon: number; postalCode: string; country: string };
  capabilities: readonly string[];
  /** Lower wins ties (1 before 2); a node without one comes last among equals. */
  priority?: number;
}

/** Where the customer wants the order: shipped to an address or collected at a node. */
export type SourcingDestination =
  | { method: 'ship'; address: { postalCode: string; country: string; lat?: number; lon?: number } }
  | { method: 'pickup'; pickupNodeId: string };

export interface SourcingLine {
  sku: string;
  quantity: number;
}

/** Units available now per SKU, per node. */
export type NodeAvailability = ReadonlyMap<string, readonly { nodeId: string; available: number }[]>;

/** Units each SKU needs across the order (two lines may share a SKU). */
export function unitsPerSku(lines: readonly SourcingLine[]): Map<string, number> {
  const needed = new Map<string, number>();
  for (const line of lines) needed.set(line.sku, (needed.get(line.sku) ?? 0) + line.quantity);
  return needed;
}

/** True when the node holds enough of every SKU for the whole order. */
export function canServeWholeOrder(
  nodeId: string,
  lines: readonly SourcingLine[],
  availability: NodeAvailability,
): boolean {
  for (const [sku, quantity] of unitsPerSku(lines)) {
    const atNode = availability.get(sku)?.find((entry) => entry.nodeId === nodeId)?.available ?? 0;
    if (atNode < quantity) return false;
  }
  return true;
}

const sharedPrefixLength = (a: string, b: string): number => {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
};

/**
 * Nodes that can serve the whole order, best first.
 * Ship: nodes with the `ship` capability, nearest first by great-circle distance to the address; an
 * address without coordinates ranks same country first, then the longest shared postal-code prefix.
 * Ties go to the lower `priority`, then the nodeId so the order is stable.
 * Pickup: only the pickup node, if it has the `pickup` capability and the stock.
 */
export function rankSourcingNodes(input: {
  nodes: readonly SourcingNode[];
  lines: readonly SourcingLine[];
  availability: NodeAvailability;
  destination: SourcingDestination;
}): string[] {
  const { nodes, lines, availability, destination } = input;
  const capability = destination.method === 'pickup' ? 'pickup' : 'ship';
  const eligible = nodes.filter(
    (node) =>
      node.capabilities.includes(capability) &&
      (destination.method === 'ship' || node.nodeId === destination.pickupNodeId) &&
      canServeWholeOrder(node.nodeId, lines, availability),
  );
  const score = (node: SourcingNode): number[] => {
    const tieBreak = node.priority ?? Number.MAX_SAFE_INTEGER;
    if (destination.method === 'pickup') return [tieBreak];
    const { address } = destination;
    if (address.lat !== undefined && address.lon !== undefined) {
      return [haversineKm({ lat: address.lat, lon: address.lon }, node.location), tieBreak];
    }
    const sameCountry = node.location.country === address.country;
    const prefix = sameCountry ? sharedPrefixLength(node.location.postalCode, address.postalCode) : 0;
    return [sameCountry ? 0 : 1, -prefix, tieBreak];
  };
  return eligible
    .map((node) => ({ nodeId: node.nodeId, score: score(node) }))
    .sort((a, b) => {
      for (let i = 0; i < a.score.length; i++) {
        const difference = (a.score[i] ?? 0) - (b.score[i] ?? 0);
        if (difference !== 0) return difference;
      }
      return a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0;
    })
    .map((entry) => entry.nodeId);
}
