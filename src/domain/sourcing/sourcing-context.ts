import { haversineKm } from '../geo';
import { dispatchDay } from '../promise/dispatch-day';
import { promiseFromDispatch, type PromiseDays } from '../promise/promise-delivery';
import { distanceToDestinationKm } from './destination-distance';
import { parcelRate, resolveCostModel, type ParcelLeg, type ParcelRate } from './shipping-cost';
import type { ExclusionReason } from './sourcing-result';
import type { LineToSource, NetworkNode, ShipDestination, SourcingRequest } from './sourcing-request';

/** Priority used for a node without one, so it comes last among equals. */
export const PRIORITY_WHEN_ABSENT = 1_000_000;

/** One SKU of the order: total units needed, and its lines heaviest first (they gain most from cheap nodes). */
export interface SkuNeed {
  sku: string;
  need: number;
  lineIndexes: number[];
}

/** A node with the capability the delivery needs, priced and dated for this order. */
export interface NodeQuote {
  node: NetworkNode;
  distanceKm: number;
  leg: ParcelLeg;
  rate: ParcelRate;
  priority: number;
  promise: PromiseDays;
  /** True when the node has used its daily order capacity: it may only take backorders. */
  exhausted: boolean;
  /** Units usable now per SKU (index of `skus`), capped at the need, after the drop-ship rule. */
  stock: number[];
  units: number;
}

/** Where the parcels go: to the customer's address, or to the store where the customer collects. */
export type SourcingTarget =
  | { method: 'ship'; destination: ShipDestination; speed: 'standard' | 'express' }
  | { method: 'pickup'; store: NetworkNode };

/** Everything the search and the explanation share for one request. */
export interface SourcingContext {
  nowMs: number;
  request: SourcingRequest;
  target: SourcingTarget;
  lines: LineToSource[];
  skus: SkuNeed[];
  totalUnits: number;
  /** Nodes with the needed capability, sorted by nodeId (capacity-exhausted ones included). */
  quotes: NodeQuote[];
  /** Quotes that can serve something now: the search space. Indexes into this array name nodes in plans. */
  candidates: NodeQuote[];
  excluded: Map<ExclusionReason, string[]>;
}

const byNodeId = (a: NetworkNode, b: NetworkNode): number =>
  a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0;

/** True when the node has taken its daily order capacity. */
export const isExhausted = (node: NetworkNode): boolean =>
  node.dailyOrderCapacity !== undefined && node.usedToday >= node.dailyOrderCapacity;

function collectSkus(lines: readonly LineToSource[]): SkuNeed[] {
  const bySku = new Map<string, SkuNeed>();
  lines.forEach((line, index) => {
    const entry = bySku.get(line.sku) ?? { sku: line.sku, need: 0, lineIndexes: [] };
    entry.need += line.quantity;
    entry.lineIndexes.push(index);
    bySku.set(line.sku, entry);
  });
  const skus = [...bySku.values()];
  for (const entry of skus) {
    entry.lineIndexes.sort((a, b) => lines[b]!.weightGrams - lines[a]!.weightGrams || a - b);
  }
  return skus;
}

const exclude = (excluded: Map<ExclusionReason, string[]>, reason: ExclusionReason, nodeId: string): void => {
  const ids = excluded.get(reason) ?? [];
  ids.push(nodeId);
  excluded.set(reason, ids);
};

/** Prices and dates one node; its stock is filled in afterwards. */
function quoteNode(
  node: NetworkNode,
  target: SourcingTarget,
  dispatchOf: (node: NetworkNode) => number,
  skuCount: number,
): NodeQuote {
  let distanceKm: number;
  let leg: ParcelLeg;
  if (target.method === 'pickup') {
    const atStore = node.nodeId === target.store.nodeId;
    distanceKm = atStore ? 0 : haversineKm(node.location, target.store.location);
    leg = atStore ? 'collect' : 'transfer';
  } else {
    distanceKm = distanceToDestinationKm(node.location, target.destination);
    leg = target.speed === 'express' ? 'express' : 'ship';
  }
  const speed = target.method === 'ship' ? target.speed : undefined;
  return {
    node,
    distanceKm,
    leg,
    rate: parcelRate(resolveCostModel(node.type, node.costModel), distanceKm, leg),
    priority: node.priority ?? PRIORITY_WHEN_ABSENT,
    promise: promiseFromDispatch(dispatchOf(node), distanceKm, target.method, speed),
    exhausted: isExhausted(node),
    stock: new Array<number>(skuCount).fill(0),
    units: 0,
  };
}

/** Dispatch days memoised per node kind for nodes on their kind's defaults, as most are. */
function memoiseDispatch(nowMs: number): (node: NetworkNode) => number {
  const byKind = new Map<NetworkNode['type'], number>();
  return (node) => {
    if (node.processingDays !== undefined || node.cutoffHourUtc !== undefined)
      return dispatchDay(nowMs, node);
    let day = byKind.get(node.type);
    if (day === undefined) {
      day = dispatchDay(nowMs, node);
      byKind.set(node.type, day);
    }
    return day;
  };
}

/** Fills each quote's usable stock, capped at the need, walking the snapshot once per SKU. */
function fillStock(
  quotes: readonly NodeQuote[],
  skus: readonly SkuNeed[],
  availability: SourcingRequest['availability'],
): void {
  const byNodeId = new Map(quotes.map((quote) => [quote.node.nodeId, quote]));
  skus.forEach((entry, s) => {
    const atNodes = availability[entry.sku];
    if (!atNodes) return;
    for (const nodeId in atNodes) {
      const quote = byNodeId.get(nodeId);
      const available = atNodes[nodeId]!;
      if (!quote || available <= 0) continue;
      const units = Math.min(entry.need, available);
      quote.stock[s] = units;
      quote.units += units;
    }
  });
}

/**
 * Drop-ship vendors serve only what the retailer's own nodes cannot: a vendor's stock of a SKU counts
 * only when the own nodes able to serve now cannot cover that SKU's whole need.
 */
function applyDropShipRule(quotes: readonly NodeQuote[], skus: readonly SkuNeed[]): Set<NodeQuote> {
  const ownTotals = skus.map(() => 0);
  for (const quote of quotes) {
    if (quote.node.type === 'dropship' || quote.exhausted) continue;
    quote.stock.forEach((units, s) => (ownTotals[s]! += units));
  }
  const overruled = new Set<NodeQuote>();
  for (const quote of quotes) {
    if (quote.node.type !== 'dropship' || quote.units === 0) continue;
    quote.stock = quote.stock.map((units, s) => (ownTotals[s]! >= skus[s]!.need ? 0 : units));
    quote.units = quote.stock.reduce((sum, units) => sum + units, 0);
    if (quote.units === 0) overruled.add(quote);
  }
  return overruled;
}

/** Prices and dates every node for the request, sorts them by id, and sets aside those that cannot serve. */
export function buildSourcingContext(request: SourcingRequest, target: SourcingTarget): SourcingContext {
  const nowMs = Date.parse(request.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`now is not an ISO 8601 date-time: ${request.now}`);
  const lines = request.lines;
  const skus = collectSkus(lines);
  const excluded = new Map<ExclusionReason, string[]>();
  const quotes: NodeQuote[] = [];
  const dispatchOf = memoiseDispatch(nowMs);
  for (const node of [...request.nodes].sort(byNodeId)) {
    const atPickupStore = target.method === 'pickup' && node.nodeId === target.store.nodeId;
    const capability = atPickupStore ? 'pickup' : 'ship';
    if (!node.capabilities.includes(capability)) exclude(excluded, 'no-capability', node.nodeId);
    else quotes.push(quoteNode(node, target, dispatchOf, skus.length));
  }
  fillStock(quotes, skus, request.availability);
  const overruled = applyDropShipRule(quotes, skus);
  const candidates: NodeQuote[] = [];
  for (const quote of quotes) {
    if (quote.exhausted) exclude(excluded, 'capacity-exhausted', quote.node.nodeId);
    else if (overruled.has(quote)) exclude(excluded, 'own-stock-first', quote.node.nodeId);
    else if (quote.units === 0) exclude(excluded, 'no-stock', quote.node.nodeId);
    else candidates.push(quote);
  }
  const totalUnits = skus.reduce((sum, entry) => sum + entry.need, 0);
  return { nowMs, request, target, lines, skus, totalUnits, quotes, candidates, excluded };
}
