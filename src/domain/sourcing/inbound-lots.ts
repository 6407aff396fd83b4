import type { NodeQuote, SourcingContext } from './sourcing-context';

/** Inbound supply of one SKU at one node, with what is still unpromised in this request. */
export interface InboundLot {
  quote: NodeQuote;
  expectedAt: string;
  expectedMs: number;
  left: number;
}

/**
 * Inbound lots per SKU (index of `skus`) at nodes that have the needed capability, earliest first,
 * then nearest, then by node id. Lots at unknown nodes or nodes without the capability are ignored.
 */
export function collectInboundLots(ctx: SourcingContext): InboundLot[][] {
  const quoteById = new Map(ctx.quotes.map((quote) => [quote.node.nodeId, quote]));
  return ctx.skus.map((entry) => {
    const lots: InboundLot[] = [];
    for (const supply of ctx.request.inbound?.[entry.sku] ?? []) {
      const quote = quoteById.get(supply.nodeId);
      if (!quote) continue;
      const expectedMs = Date.parse(supply.expectedAt);
      lots.push({ quote, expectedAt: supply.expectedAt, expectedMs, left: supply.quantity });
    }
    return lots.sort(
      (a, b) =>
        a.expectedMs - b.expectedMs ||
        a.quote.distanceKm - b.quote.distanceKm ||
        (a.quote.node.nodeId < b.quote.node.nodeId ? -1 : a.quote.node.nodeId > b.quote.node.nodeId ? 1 : 0),
    );
  });
}
