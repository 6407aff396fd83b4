import { promiseDays, type PromiseDays } from '../promise/promise-delivery';
import { collectInboundLots, type InboundLot } from './inbound-lots';
import { addTake, type BackorderDraft, type ParcelDraft } from './parcel-draft';
import { parcelCostMinor } from './shipping-cost';
import type { NodeQuote, SourcingContext } from './sourcing-context';

/** What one node could do alone for a ship-complete order: units now, units once inbound arrives. */
export interface SingleNodeOffer {
  quote: NodeQuote;
  nowUnits: number;
  inboundUnits: number;
  costMinor: number;
  promise: PromiseDays;
  parcel: ParcelDraft | undefined;
  backorders: BackorderDraft[];
}

/** Ship-complete outcome, the chosen offer (if any) and every node's offer for the explanation. */
export interface ShipCompleteChoice {
  outcome: 'met' | 'awaiting-inbound' | 'not-possible';
  chosen: SingleNodeOffer | undefined;
  offers: SingleNodeOffer[];
}

/** Inbound lots per node, per SKU index. */
function lotsByNode(ctx: SourcingContext): Map<NodeQuote, InboundLot[][]> {
  const byNode = new Map<NodeQuote, InboundLot[][]>();
  collectInboundLots(ctx).forEach((lots, s) => {
    for (const lot of lots) {
      const perSku = byNode.get(lot.quote) ?? ctx.skus.map((): InboundLot[] => []);
      perSku[s]!.push(lot);
      byNode.set(lot.quote, perSku);
    }
  });
  return byNode;
}

const NO_LOTS: readonly InboundLot[] = [];

function offerFrom(
  ctx: SourcingContext,
  quote: NodeQuote,
  lots: InboundLot[][] | undefined,
): SingleNodeOffer {
  const takes = new Map<number, number>();
  const waiting: { lineIndex: number; quantity: number; expectedAt: string }[] = [];
  let nowUnits = 0;
  let inboundUnits = 0;
  let weightGrams = 0;
  let lastArrivalMs: number | undefined;
  ctx.skus.forEach((entry, s) => {
    let stockLeft = quote.stock[s]!;
    const ownLots = lots ? lots[s]!.map((lot) => ({ ...lot })) : NO_LOTS;
    // Lightest lines first: what the node can never cover is then the heaviest, the cheapest outcome.
    for (const lineIndex of [...entry.lineIndexes].reverse()) {
      const line = ctx.lines[lineIndex]!;
      let wanted = line.quantity;
      const now = Math.min(wanted, stockLeft);
      if (now > 0) addTake(takes, lineIndex, now);
      stockLeft -= now;
      wanted -= now;
      nowUnits += now;
      weightGrams += now * line.weightGrams;
      for (const lot of ownLots) {
        if (wanted === 0) break;
        const later = Math.min(wanted, lot.left);
        if (later === 0) continue;
        lot.left -= later;
        wanted -= later;
        inboundUnits += later;
        weightGrams += later * line.weightGrams;
        waiting.push({ lineIndex, quantity: later, expectedAt: lot.expectedAt });
        lastArrivalMs = Math.max(lastArrivalMs ?? lot.expectedMs, lot.expectedMs);
      }
    }
  });
  const promise =
    lastArrivalMs === undefined
      ? quote.promise
      : promiseDays({
          nowMs: ctx.nowMs,
          node: quote.node,
          distanceKm: quote.distanceKm,
          method: ctx.target.method,
          speed: ctx.target.method === 'ship' ? ctx.target.speed : undefined,
          availableFromMs: lastArrivalMs,
        });
  const costMinor = parcelCostMinor(quote.rate, weightGrams);
  const waitsForInbound = waiting.length > 0;
  return {
    quote,
    nowUnits,
    inboundUnits,
    costMinor,
    promise,
    parcel: nowUnits > 0 ? { quote, takes, weightGrams, costMinor, promise, waitsForInbound } : undefined,
    backorders: waiting.map((entry) => ({ ...entry, quote, promise })),
  };
}

const compareOffers = (a: SingleNodeOffer, b: SingleNodeOffer): number =>
  b.nowUnits + b.inboundUnits - (a.nowUnits + a.inboundUnits) ||
  b.nowUnits - a.nowUnits ||
  a.costMinor - b.costMinor ||
  a.promise.promisedDay - b.promise.promisedDay ||
  a.quote.priority - b.quote.priority;

/**
 * Ship-complete means one parcel with everything. The node chosen covers the most units with its
 * stock now plus its own inbound supply, then ships the most now, then costs least, promises
 * earliest and has the best priority. When its stock covers everything the order ships now; when its
 * inbound is needed the parcel waits for it (units backordered at that node); units it can never
 * cover are unfillable, since any other node would mean a second parcel.
 */
export function chooseShipCompleteNode(ctx: SourcingContext): ShipCompleteChoice {
  const lots = lotsByNode(ctx);
  const offers = ctx.quotes
    .filter((quote) => !quote.exhausted)
    .map((quote) => offerFrom(ctx, quote, lots.get(quote)))
    .filter((offer) => offer.nowUnits + offer.inboundUnits > 0);
  // Quotes are sorted by node id and the sort is stable, so equal offers fall to the lower id.
  offers.sort(compareOffers);
  const chosen = offers[0];
  if (!chosen) return { outcome: 'not-possible', chosen, offers };
  const complete = chosen.nowUnits + chosen.inboundUnits === ctx.totalUnits;
  const outcome = !complete ? 'not-possible' : chosen.inboundUnits > 0 ? 'awaiting-inbound' : 'met';
  return { outcome, chosen, offers };
}
