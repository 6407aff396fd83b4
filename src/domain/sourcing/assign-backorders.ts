import { promiseDays } from '../promise/promise-delivery';
import { collectInboundLots } from './inbound-lots';
import type { BackorderDraft } from './parcel-draft';
import type { SourcingContext } from './sourcing-context';

/**
 * Backorders the units no node can serve now against inbound supply, earliest arrival first, at nodes
 * with the needed capability (a node's daily capacity is today's, so it does not bar later supply).
 * `missing` is the number of unserved units per line index; what no lot covers stays in it.
 */
export function assignBackorders(ctx: SourcingContext, missing: number[]): BackorderDraft[] {
  const lots = collectInboundLots(ctx);
  const backorders: BackorderDraft[] = [];
  ctx.skus.forEach((entry, s) => {
    for (const lineIndex of entry.lineIndexes) {
      for (const lot of lots[s]!) {
        if (missing[lineIndex] === 0) break;
        const quantity = Math.min(missing[lineIndex]!, lot.left);
        if (quantity === 0) continue;
        lot.left -= quantity;
        missing[lineIndex]! -= quantity;
        const promise = promiseDays({
          nowMs: ctx.nowMs,
          node: lot.quote.node,
          distanceKm: lot.quote.distanceKm,
          method: ctx.target.method,
          speed: ctx.target.method === 'ship' ? ctx.target.speed : undefined,
          availableFromMs: lot.expectedMs,
        });
        backorders.push({ lineIndex, quantity, quote: lot.quote, expectedAt: lot.expectedAt, promise });
      }
    }
  });
  return backorders;
}
