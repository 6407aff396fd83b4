import { isoDateOf } from '../promise/business-days';
import { unitsOf, type BackorderDraft, type ParcelDraft } from './parcel-draft';
import { comparePlans, standaloneScores, type PlanScore } from './plan-score';
import type { ShipCompleteChoice, SingleNodeOffer } from './ship-complete';
import { PRIORITY_WHEN_ABSENT, type NodeQuote, type SourcingContext } from './sourcing-context';
import type {
  CandidateReason,
  CandidateVerdict,
  DecisionRecord,
  ExclusionReason,
  SourcingStrategy,
} from './sourcing-result';
import { roundKm } from './write-result';

/** Candidates listed in full in a decision record; lower-ranked ones are only named under `not-listed`. */
export const DEFAULT_MAX_LISTED_CANDIDATES = 25;

/** What the explanation is built from. */
export interface DecisionFacts {
  ctx: SourcingContext;
  strategy: SourcingStrategy;
  parcels: readonly ParcelDraft[];
  backorders: readonly BackorderDraft[];
  /** Units the network can serve now (the search's target). */
  servableUnits: number;
  dominatedBy?: Map<number, number>;
  shipComplete?: ShipCompleteChoice;
  plansEvaluated: number;
  /** A sentence put first in the summary (e.g. a pickup moved to another store). */
  preface?: string;
  maxListed?: number;
}

const money = (minor: number): string => (minor / 100).toFixed(2);
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const priorityText = (priority: number): string =>
  priority === PRIORITY_WHEN_ABSENT ? 'none' : String(priority);

interface Verdict {
  reason: CandidateReason;
  note: string;
}

/** Why a node that could do the whole job alone lost to the chosen single parcel. */
function lostTieOrCost(
  units: number,
  alone: { costMinor: number; day: number; priority: number },
  chosen: { costMinor: number; day: number; priority: number },
): Verdict {
  if (alone.costMinor > chosen.costMinor) {
    return {
      reason: 'higher-cost',
      note: `could serve all ${units} units alone for ${money(alone.costMinor)} (chosen: ${money(chosen.costMinor)})`,
    };
  }
  if (alone.day > chosen.day) {
    return {
      reason: 'later-promise',
      note: `same cost, promised ${isoDateOf(alone.day)} (chosen: ${isoDateOf(chosen.day)})`,
    };
  }
  return {
    reason: 'lower-priority',
    note: `same cost and promise; priority ${priorityText(alone.priority)} vs ${priorityText(chosen.priority)} (then node id) decides`,
  };
}

function describeParcel(ctx: SourcingContext, parcel: ParcelDraft): string {
  const units = unitsOf(parcel);
  const lines = [...parcel.takes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([lineIndex, quantity]) => `${ctx.lines[lineIndex]!.lineId}×${quantity}`)
    .join(', ');
  const where =
    parcel.quote.leg === 'transfer' && ctx.target.method === 'pickup'
      ? ` to ${ctx.target.store.nodeId} for pickup`
      : '';
  const when = ctx.target.method === 'pickup' ? 'ready' : 'promised';
  const waits = parcel.waitsForInbound ? ', once its inbound supply arrives' : '';
  return `sends ${plural(units, 'unit')} (${lines})${where} for ${money(parcel.costMinor)}, ${when} ${isoDateOf(parcel.promise.promisedDay)}${waits}`;
}

function shipCompleteVerdict(
  offer: SingleNodeOffer | undefined,
  chosen: SingleNodeOffer,
  total: number,
): Verdict {
  const now = offer?.nowUnits ?? 0;
  const inbound = offer?.inboundUnits ?? 0;
  if (!offer || now + inbound < total) {
    const plus = inbound > 0 ? ` (+${inbound} inbound)` : '';
    return {
      reason: 'cannot-ship-complete',
      note: `holds ${now} of ${total} units${plus}; ship-complete needs one node with everything`,
    };
  }
  if (now < chosen.nowUnits) {
    return {
      reason: 'partial-stock',
      note: `holds ${now} of ${total} units now, the rest only once inbound arrives`,
    };
  }
  return lostTieOrCost(
    total,
    { costMinor: offer.costMinor, day: offer.promise.promisedDay, priority: offer.quote.priority },
    { costMinor: chosen.costMinor, day: chosen.promise.promisedDay, priority: chosen.quote.priority },
  );
}

function searchVerdict(
  facts: DecisionFacts,
  index: number,
  alone: PlanScore,
  chosen: { plan: PlanScore; firstNodeId: string },
): Verdict {
  const { ctx, servableUnits } = facts;
  const dominator = facts.dominatedBy?.get(index);
  if (dominator !== undefined) {
    return {
      reason: 'dominated',
      note: `${ctx.candidates[dominator]!.node.nodeId} holds the whole need of every SKU this node holds, at no higher cost or later promise`,
    };
  }
  const quote = ctx.candidates[index]!;
  if (alone.units === servableUnits && chosen.plan.parcels === 1) {
    return lostTieOrCost(
      alone.units,
      { costMinor: alone.costMinor, day: alone.latestDay, priority: quote.priority },
      { costMinor: chosen.plan.costMinor, day: chosen.plan.latestDay, priority: chosen.plan.prioritySum },
    );
  }
  if (chosen.plan.parcels === 1) {
    return {
      reason: 'partial-stock',
      note: `holds ${alone.units} of ${servableUnits} servable units; ${chosen.firstNodeId} serves them all in one parcel`,
    };
  }
  return {
    reason: 'not-in-best-plan',
    note: `holds ${alone.units} of ${servableUnits} servable units; the chosen ${chosen.plan.parcels}-parcel plan (${money(chosen.plan.costMinor)}) does better without it`,
  };
}

function verdictFor(facts: DecisionFacts, index: number, alone: PlanScore, chosenPlan: PlanScore): Verdict {
  const { ctx, strategy } = facts;
  const quote = ctx.candidates[index]!;
  const parcel = facts.parcels.find((draft) => draft.quote === quote);
  if (parcel) return { reason: 'taken', note: describeParcel(ctx, parcel) };
  const firstNodeId = facts.parcels[0]?.quote.node.nodeId ?? 'none';
  if (strategy === 'ship-complete' && facts.shipComplete?.chosen) {
    if (facts.shipComplete.chosen.quote === quote) {
      return { reason: 'taken', note: `ships everything it can cover once its inbound supply arrives` };
    }
    const offer = facts.shipComplete.offers.find((entry) => entry.quote === quote);
    return shipCompleteVerdict(offer, facts.shipComplete.chosen, ctx.totalUnits);
  }
  if (strategy === 'pickup-at-store' || strategy === 'pickup-store-change') {
    return { reason: 'pickup-store-first', note: `the pickup store ${firstNodeId} holds everything` };
  }
  return searchVerdict(facts, index, alone, { plan: chosenPlan, firstNodeId });
}

function summarise(facts: DecisionFacts, chosenPlan: PlanScore): string {
  const { ctx, parcels, backorders } = facts;
  const parts: string[] = facts.preface ? [facts.preface] : [];
  if (parcels.length === 0) parts.push('nothing can be sent now');
  else {
    const nodes = parcels.map((parcel) => `${parcel.quote.node.nodeId}×${unitsOf(parcel)}`).join(', ');
    const when = ctx.target.method === 'pickup' ? 'ready' : 'promised';
    parts.push(
      `${plural(parcels.length, 'parcel')} (${nodes}) for ${money(chosenPlan.costMinor)}, ${when} ${isoDateOf(chosenPlan.latestDay)}`,
    );
  }
  const backordered = backorders.reduce((sum, draft) => sum + draft.quantity, 0);
  if (backordered > 0) {
    const latest = backorders.map((draft) => draft.expectedAt).sort()[backorders.length - 1];
    parts.push(`${plural(backordered, 'unit')} backordered (inbound by ${latest})`);
  }
  const allocated = parcels.reduce((sum, parcel) => sum + unitsOf(parcel), 0);
  const unfillable = ctx.totalUnits - allocated - backordered;
  if (unfillable > 0) parts.push(`${plural(unfillable, 'unit')} unfillable`);
  if (facts.shipComplete) parts.push(`ship-complete ${facts.shipComplete.outcome}`);
  parts.push(`${facts.strategy} over ${plural(ctx.candidates.length, 'candidate')}`);
  return parts.join('; ');
}

/** The decision record: each candidate's standalone score and verdict, exclusions by reason, a summary. */
export function explainDecision(facts: DecisionFacts): DecisionRecord {
  const { ctx, parcels } = facts;
  const indexes = ctx.candidates.map((_, index) => index);
  const alone = standaloneScores(ctx);
  const chosenPlan: PlanScore = {
    nodes: [],
    units: parcels.reduce((sum, parcel) => sum + unitsOf(parcel), 0),
    parcels: parcels.length,
    costMinor: parcels.reduce((sum, parcel) => sum + parcel.costMinor, 0),
    latestDay: Math.max(...parcels.map((parcel) => parcel.promise.promisedDay)),
    prioritySum: parcels.reduce((sum, parcel) => sum + parcel.quote.priority, 0),
  };
  const ranked = [...indexes].sort((a, b) => comparePlans(alone[a]!, alone[b]!));
  const isTaken = (quote: NodeQuote): boolean => parcels.some((parcel) => parcel.quote === quote);
  const maxListed = facts.maxListed ?? DEFAULT_MAX_LISTED_CANDIDATES;
  const candidates: CandidateVerdict[] = [];
  const notListed: string[] = [];
  ranked.forEach((index, position) => {
    const quote = ctx.candidates[index]!;
    if (position >= maxListed && !isTaken(quote)) {
      notListed.push(quote.node.nodeId);
      return;
    }
    const score = alone[index]!;
    const verdict = verdictFor(facts, index, score, chosenPlan);
    candidates.push({
      nodeId: quote.node.nodeId,
      nodeType: quote.node.type,
      rank: position + 1,
      units: score.units,
      costMinor: score.costMinor,
      distanceKm: roundKm(quote.distanceKm),
      promisedDate: isoDateOf(quote.promise.promisedDay),
      taken: verdict.reason === 'taken',
      ...verdict,
    });
  });
  const excluded: Partial<Record<ExclusionReason, string[]>> = Object.fromEntries(ctx.excluded);
  if (notListed.length > 0) excluded['not-listed'] = notListed.sort();
  return {
    strategy: facts.strategy,
    summary: summarise(facts, chosenPlan),
    ...(facts.shipComplete ? { shipComplete: facts.shipComplete.outcome } : {}),
    candidates,
    excluded,
    search: {
      candidates: ctx.candidates.length,
      pruned: facts.dominatedBy?.size ?? 0,
      plansEvaluated: facts.plansEvaluated,
    },
  };
}
