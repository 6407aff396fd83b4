import { haversineKm } from '../geo';
import { choosePlan, type SearchLimits } from './choose-plan';
import { assignBackorders } from './assign-backorders';
import { explainDecision } from './explain-decision';
import { addTake, type BackorderDraft, type ParcelDraft } from './parcel-draft';
import { scorePlan } from './plan-score';
import { chooseShipCompleteNode } from './ship-complete';
import { parcelCostMinor } from './shipping-cost';
import {
  buildSourcingContext,
  isExhausted,
  type SourcingContext,
  type SourcingTarget,
} from './sourcing-context';
import type { NetworkNode, SourcingRequest } from './sourcing-request';
import type { SourcingResult, SourcingStrategy } from './sourcing-result';
import { writeResult } from './write-result';

/** Tuning that is not part of the business request. */
export interface SourcingOptions extends SearchLimits {
  /** Candidates listed in full in the decision record. */
  maxListedCandidates?: number;
}

/** Parcels of a plan (candidate indexes), each with its units per line, weight, cost and promise. */
function draftParcels(ctx: SourcingContext, nodes: readonly number[]): ParcelDraft[] {
  const drafts = new Map<number, ParcelDraft>();
  scorePlan(ctx, nodes, (index, lineIndex, quantity) => {
    const quote = ctx.candidates[index]!;
    const draft = drafts.get(index) ?? {
      quote,
      takes: new Map<number, number>(),
      weightGrams: 0,
      costMinor: 0,
      promise: quote.promise,
      waitsForInbound: false,
    };
    addTake(draft.takes, lineIndex, quantity);
    draft.weightGrams += quantity * ctx.lines[lineIndex]!.weightGrams;
    drafts.set(index, draft);
  });
  const parcels = [...drafts.values()];
  for (const parcel of parcels) parcel.costMinor = parcelCostMinor(parcel.quote.rate, parcel.weightGrams);
  return parcels;
}

function unitsLeft(ctx: SourcingContext, parcels: readonly ParcelDraft[]): number[] {
  const missing = ctx.lines.map((line) => line.quantity);
  for (const parcel of parcels)
    for (const [lineIndex, quantity] of parcel.takes) missing[lineIndex]! -= quantity;
  return missing;
}

/** Ship-complete: one node, now or once its own inbound arrives (see chooseShipCompleteNode). */
function sourceShipComplete(
  ctx: SourcingContext,
  options: SourcingOptions,
  preface?: string,
): SourcingResult {
  const choice = chooseShipCompleteNode(ctx);
  const parcels = choice.chosen?.parcel ? [choice.chosen.parcel] : [];
  const backorders: BackorderDraft[] = choice.chosen?.backorders ?? [];
  const decision = explainDecision({
    ctx,
    strategy: 'ship-complete',
    parcels,
    backorders,
    servableUnits: choice.chosen?.nowUnits ?? 0,
    shipComplete: choice,
    plansEvaluated: choice.offers.length,
    preface,
    maxListed: options.maxListedCandidates,
  });
  return writeResult(ctx, parcels, backorders, decision);
}

/** Best plan for what can be served now, then backorders against inbound supply for the rest. */
function sourceFromContext(ctx: SourcingContext, options: SourcingOptions, preface?: string): SourcingResult {
  if (ctx.request.shipComplete) return sourceShipComplete(ctx, options, preface);
  const chosen = choosePlan(ctx, options);
  const parcels = draftParcels(ctx, chosen.plan.nodes);
  const backorders = assignBackorders(ctx, unitsLeft(ctx, parcels));
  const decision = explainDecision({
    ctx,
    strategy: chosen.strategy,
    parcels,
    backorders,
    servableUnits: chosen.targetUnits,
    dominatedBy: chosen.dominatedBy,
    plansEvaluated: chosen.plansEvaluated,
    preface,
    maxListed: options.maxListedCandidates,
  });
  return writeResult(ctx, parcels, backorders, decision);
}

/** The whole order from one pickup store's own stock, collected there. */
function collectAtStore(
  ctx: SourcingContext,
  strategy: SourcingStrategy,
  options: SourcingOptions,
  preface?: string,
): SourcingResult | undefined {
  const index = ctx.candidates.findIndex(
    (quote) => quote.leg === 'collect' && quote.units === ctx.totalUnits,
  );
  if (index < 0) return undefined;
  const parcels = draftParcels(ctx, [index]);
  const decision = explainDecision({
    ctx,
    strategy,
    parcels,
    backorders: [],
    servableUnits: ctx.totalUnits,
    plansEvaluated: 1,
    preface,
    maxListed: options.maxListedCandidates,
  });
  return writeResult(ctx, parcels, [], decision);
}

const canCollectAt = (node: NetworkNode): boolean =>
  node.capabilities.includes('pickup') && !isExhausted(node);

/** Pickup nodes other than the requested one that hold every unit now, nearest to it first. */
function pickupNodesHoldingEverything(
  request: SourcingRequest,
  requested: NetworkNode | undefined,
): NetworkNode[] {
  const need = new Map<string, number>();
  for (const line of request.lines) need.set(line.sku, (need.get(line.sku) ?? 0) + line.quantity);
  const distance = (node: NetworkNode): number =>
    requested ? haversineKm(requested.location, node.location) : 0;
  return request.nodes
    .filter(
      (node) =>
        node.nodeId !== requested?.nodeId &&
        canCollectAt(node) &&
        [...need].every(([sku, units]) => (request.availability[sku]?.[node.nodeId] ?? 0) >= units),
    )
    .sort(
      (a, b) =>
        distance(a) - distance(b) ||
        (a.priority ?? Infinity) - (b.priority ?? Infinity) ||
        (a.nodeId < b.nodeId ? -1 : 1),
    );
}

/**
 * Click-and-collect. 1) The requested store holds everything: collected from its own stock.
 * 2) Else, when `allowStoreChange`, the nearest other pickup store that holds everything.
 * 3) Else the order is sourced to the requested store: its own stock plus transfers from nodes that
 *    can ship, on the same objectives as a shipped order (ready date = transfer arrival).
 * A requested store that is unknown, cannot do pickup or is at capacity takes nothing (step 2 may apply).
 */
function sourcePickup(
  request: SourcingRequest,
  delivery: { pickupNodeId: string; allowStoreChange?: boolean },
  options: SourcingOptions,
): SourcingResult {
  const requested = request.nodes.find((node) => node.nodeId === delivery.pickupNodeId);
  const store = requested && canCollectAt(requested) ? requested : undefined;
  const storeCtx = store && buildSourcingContext(request, { method: 'pickup', store });
  if (storeCtx) {
    const atStore = collectAtStore(storeCtx, 'pickup-at-store', options);
    if (atStore) return atStore;
  }
  if (delivery.allowStoreChange) {
    const alternative = pickupNodesHoldingEverything(request, requested)[0];
    if (alternative) {
      const ctx = buildSourcingContext(request, { method: 'pickup', store: alternative });
      const preface = `pickup moved from ${delivery.pickupNodeId} to ${alternative.nodeId}, the nearest store holding everything`;
      const moved = collectAtStore(ctx, 'pickup-store-change', options, preface);
      if (moved) return moved;
    }
  }
  if (storeCtx) return sourceFromContext(storeCtx, options);
  const why = !requested
    ? 'is unknown'
    : !requested.capabilities.includes('pickup')
      ? 'does not offer pickup'
      : 'is at capacity';
  const placeholder: NetworkNode = requested ?? {
    nodeId: delivery.pickupNodeId,
    type: 'store',
    location: { lat: 0, lon: 0 },
    capabilities: [],
    usedToday: 0,
  };
  const ctx = buildSourcingContext({ ...request, nodes: [] }, { method: 'pickup', store: placeholder });
  const decision = explainDecision({
    ctx,
    strategy: 'nothing-available',
    parcels: [],
    backorders: [],
    servableUnits: 0,
    plansEvaluated: 0,
    preface: `pickup store ${delivery.pickupNodeId} ${why}`,
  });
  return writeResult(ctx, [], [], decision);
}

/**
 * Sources an order: which node sends which units, what waits for inbound supply, what cannot be
 * served, and why. Pure and deterministic: the same request gives the same result.
 */
export function sourceOrder(request: SourcingRequest, options: SourcingOptions = {}): SourcingResult {
  const { delivery } = request;
  if (delivery.method === 'pickup') return sourcePickup(request, delivery, options);
  const target: SourcingTarget = {
    method: 'ship',
    destination: delivery.destination,
    speed: delivery.speed ?? 'standard',
  };
  return sourceFromContext(buildSourcingContext(request, target), options);
}
