import type { NodeCapacityInput } from '../../activities/capacity.activities';
import type { NodeReservationInput } from '../../activities/stock.activities';
import { fulfillmentIdFor } from '../../src/domain/order-state';
import type { BackorderView } from '../../src/domain/order-view';
import type { Allocation, LineUnits, SourcingResult } from '../../src/domain/sourcing/sourcing-result';
import { local } from '../order-activity-proxies';
import {
  compensate,
  MAX_SOURCING_ATTEMPTS,
  servesEverythingNow,
  type ReservationStep,
} from '../reserve-sourcing-plan';
import { partReservationKey } from './keys';
import type { OrderRun } from './order-run';
import type { PartRecord } from './run-state';

/** What sourcing some units gave: fulfilments reserved now, units waiting for inbound, units nobody has. */
export interface SourcedUnits {
  plan: SourcingResult;
  decidedAt: string;
  attempt: number;
  /** Reserved (stock and node capacity) and added to the run's parts; their children are not started yet. */
  parts: PartRecord[];
  backorders: BackorderView[];
  unfillable: LineUnits[];
}

const capacityDay = (claim: NodeCapacityInput): string => claim.at.slice(0, 10);

/** A fulfilment counts on its node's capacity unless it was dropped before the node did any work. */
function countsOnCapacity(run: OrderRun, part: PartRecord): boolean {
  if (!part.started) return !part.settled;
  const status = run.fulfillment(part.fulfillmentId)?.status;
  return status !== 'cancelled' && status !== 'rejected';
}

/** True when another fulfilment of the order still counts on this node's capacity that day. */
function capacityInUse(run: OrderRun, claim: NodeCapacityInput, except?: PartRecord): boolean {
  return run.state.parts.some(
    (p) =>
      p !== except &&
      p.capacity?.nodeId === claim.nodeId &&
      capacityDay(p.capacity) === capacityDay(claim) &&
      countsOnCapacity(run, p),
  );
}

/** The reservation input of a part's lines at its node. */
export const reservationOf = (run: OrderRun, part: PartRecord): NodeReservationInput => ({
  orderId: run.orderId,
  nodeId: part.nodeId,
  lines: part.lines.map((l) => ({ key: l.reservationKey, sku: l.sku, quantity: l.quantity })),
  pool: { channel: run.order.channel },
});

/** Gives a part's node capacity back unless another fulfilment of the order still uses it. */
export async function releasePartCapacity(run: OrderRun, part: PartRecord): Promise<void> {
  if (part.capacity && !capacityInUse(run, part.capacity, part))
    await local.releaseNodeCapacity(part.capacity);
}

/** A part drafted from an allocation (not reserved yet). */
function draftPart(run: OrderRun, allocation: Allocation, fulfillmentId: string, at: string): PartRecord {
  const taken = new Set(run.state.parts.flatMap((p) => p.lines.map((l) => l.reservationKey)));
  return {
    fulfillmentId,
    nodeId: allocation.nodeId,
    method: run.order.delivery.method,
    lines: allocation.lines
      .filter((l) => l.quantity > 0)
      .map((l) => ({
        lineId: l.lineId,
        sku: l.sku,
        quantity: l.quantity,
        reservationKey: partReservationKey(run.orderId, l.lineId, allocation.nodeId, fulfillmentId, taken),
      })),
    capacity: { nodeId: allocation.nodeId, orderId: run.orderId, at },
    started: false,
    paid: false,
    settled: false,
  };
}

/**
 * Reserves each draft's node capacity (unless the order already counts there that day) and stock, in order;
 * answers why it stopped when a racing order got there first, after undoing this attempt.
 */
async function reserveDrafts(
  run: OrderRun,
  drafts: readonly PartRecord[],
  steps: ReservationStep[],
): Promise<string | undefined> {
  try {
    for (const draft of drafts) {
      const claim = draft.capacity as NodeCapacityInput;
      if (!capacityInUse(run, claim)) {
        if ((await local.claimNodeCapacity(claim)) === 'full') {
          await compensate(steps);
          return `${draft.nodeId} reached its daily order capacity`;
        }
        steps.push({ kind: 'capacity', claim });
      }
      const reservation = reservationOf(run, draft);
      // Recorded before the call: a reservation that fails halfway is released by the compensation too.
      steps.push({ kind: 'stock', reservation });
      if ((await local.reserveOrderAtNode(reservation)) === 'insufficient') {
        await compensate(steps);
        return `${draft.nodeId} no longer has the stock`;
      }
    }
    return undefined;
  } catch (error) {
    await compensate(steps);
    throw error;
  }
}

/** Ship-complete and waiting for inbound: every unit waits, promised for the day the one parcel can leave. */
function waitingAsWhole(units: readonly LineUnits[], plan: SourcingResult, since: string): BackorderView[] {
  const parcel = plan.allocations.find((a) => a.waitsForInbound) ?? plan.allocations[0];
  const expectedAt = plan.backorders
    .map((b) => b.expectedAt)
    .sort()
    .at(-1);
  return units.map((u) => ({
    lineId: u.lineId,
    sku: u.sku,
    quantity: u.quantity,
    ...(parcel ? { nodeId: parcel.nodeId, promisedDate: parcel.promisedDate } : {}),
    ...(expectedAt ? { expectedAt } : {}),
    since,
  }));
}

/**
 * Sources units with the engine on a fresh snapshot and reserves what can leave now as new fulfilments
 * (a saga across nodes, planned again when a racing order takes stock or capacity first, at most
 * MAX_SOURCING_ATTEMPTS times). A ship-complete order either reserves everything or waits as a whole.
 * What only inbound supply covers comes back as backorders, what nobody has as unfillable.
 */
export async function sourceUnits(
  run: OrderRun,
  units: readonly LineUnits[],
  shipComplete: boolean,
  /** Nodes whose stock of these units does not count (a node that just rejected them). */
  excludeNodeIds: readonly string[] = [],
): Promise<SourcedUnits> {
  for (let attempt = 1; ; attempt++) {
    const decidedAt = run.nowIso();
    const plan = await local.planSourcing({
      lines: units.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
      delivery: run.order.delivery,
      ...(shipComplete ? { shipComplete: true } : {}),
      channel: run.order.channel,
      now: decidedAt,
      ...(excludeNodeIds.length > 0 ? { excludeNodeIds: [...excludeNodeIds] } : {}),
    });
    if (shipComplete && plan.unfillable.length > 0) {
      return { plan, decidedAt, attempt, parts: [], backorders: [], unfillable: [...units] };
    }
    if (shipComplete && !servesEverythingNow(plan)) {
      return {
        plan,
        decidedAt,
        attempt,
        parts: [],
        backorders: waitingAsWhole(units, plan, decidedAt),
        unfillable: [],
      };
    }
    const drafts = plan.allocations
      .filter((a) => !a.waitsForInbound && a.lines.some((l) => l.quantity > 0))
      .map((a, i) =>
        draftPart(run, a, fulfillmentIdFor(run.orderId, run.state.nextFulfillment + i), decidedAt),
      );
    const steps: ReservationStep[] = [];
    const lost = await reserveDrafts(run, drafts, steps);
    if (lost === undefined) {
      run.state.nextFulfillment += drafts.length;
      run.state.parts.push(...drafts);
      const backorders = plan.backorders.map((b) => ({
        lineId: b.lineId,
        sku: b.sku,
        quantity: b.quantity,
        nodeId: b.nodeId,
        expectedAt: b.expectedAt,
        promisedDate: b.promisedDate,
        since: decidedAt,
      }));
      return { plan, decidedAt, attempt, parts: drafts, backorders, unfillable: plan.unfillable };
    }
    run.record('sourcing_retry', lost);
    if (attempt >= MAX_SOURCING_ATTEMPTS) {
      return { plan, decidedAt, attempt, parts: [], backorders: [], unfillable: [...units] };
    }
  }
}

/** Gives back what sourcing reserved for parts that will not go ahead (stock, then capacity), and forgets them. */
export async function undoParts(run: OrderRun, parts: readonly PartRecord[]): Promise<void> {
  for (const part of [...parts].reverse()) {
    await local.releaseOrderAtNode(reservationOf(run, part));
    part.settled = true;
    await releasePartCapacity(run, part);
  }
  run.state.parts = run.state.parts.filter((p) => !parts.includes(p));
}
