import type { NodeCapacityInput } from '../activities/capacity.activities';
import type { NodeReservationInput } from '../activities/stock.activities';
import type { OrderRequest } from '../src/domain/order-request';
import { reservationKey } from '../src/domain/order-state';
import type { Allocation, SourcingResult } from '../src/domain/sourcing/sourcing-result';
import { local } from './order-activity-proxies';

/** Plans made and reserved before giving up when racing orders keep taking the stock or capacity first. */
export const MAX_SOURCING_ATTEMPTS = 3;

/** One step of the reservation saga, undone in reverse order. */
export type ReservationStep =
  | { kind: 'capacity'; claim: NodeCapacityInput }
  | { kind: 'stock'; reservation: NodeReservationInput };

/** How sourcing ended: everything reserved, the engine cannot serve the order now, or racing orders won every time. */
export type SourcingOutcome =
  | { kind: 'reserved'; plan: SourcingResult; decidedAt: string; attempt: number; steps: ReservationStep[] }
  | { kind: 'unservable'; plan: SourcingResult; decidedAt: string; attempt: number }
  | { kind: 'lost_races'; plan: SourcingResult; decidedAt: string; attempt: number };

/** True when the plan sends every unit of the order now (nothing backordered, unfillable or waiting for inbound). */
export const servesEverythingNow = (plan: SourcingResult): boolean =>
  plan.totals.allocatedUnits === plan.totals.units && plan.allocations.every((a) => !a.waitsForInbound);

/** The reservation of one allocation's lines at its node, keyed `${orderId}:${lineId}:${nodeId}`. */
export function reservationFor(order: OrderRequest, allocation: Allocation): NodeReservationInput {
  return {
    orderId: order.orderId,
    nodeId: allocation.nodeId,
    lines: allocation.lines.map((line) => ({
      key: reservationKey(order.orderId, line.lineId, allocation.nodeId),
      sku: line.sku,
      quantity: line.quantity,
    })),
    pool: { channel: order.channel },
  };
}

/** Undoes the steps in reverse order; every release is idempotent, so a retried compensation is harmless. */
export async function compensate(steps: readonly ReservationStep[]): Promise<void> {
  for (const step of [...steps].reverse()) {
    if (step.kind === 'stock') await local.releaseOrderAtNode(step.reservation);
    else await local.releaseNodeCapacity(step.claim);
  }
}

/**
 * Takes each allocation's node capacity and stock, in order; answers why it stopped when a racing order
 * got there first (after undoing this attempt), or undefined with `steps` holding everything taken.
 * Any failure undoes this attempt before it propagates.
 */
async function reservePlan(
  order: OrderRequest,
  plan: SourcingResult,
  at: string,
  steps: ReservationStep[],
): Promise<string | undefined> {
  try {
    for (const allocation of plan.allocations) {
      const claim: NodeCapacityInput = { nodeId: allocation.nodeId, orderId: order.orderId, at };
      if ((await local.claimNodeCapacity(claim)) === 'full') {
        await compensate(steps);
        return `${allocation.nodeId} reached its daily order capacity`;
      }
      steps.push({ kind: 'capacity', claim });
      // Recorded before the call: a reservation that fails halfway is released by the compensation too.
      const reservation = reservationFor(order, allocation);
      steps.push({ kind: 'stock', reservation });
      if ((await local.reserveOrderAtNode(reservation)) === 'insufficient') {
        await compensate(steps);
        return `${allocation.nodeId} no longer has the stock`;
      }
    }
    return undefined;
  } catch (error) {
    await compensate(steps);
    throw error;
  }
}

/**
 * Sources the order with the engine on a fresh snapshot and reserves the plan across its nodes as a
 * saga; when a racing order takes stock or capacity first, plans again (at most MAX_SOURCING_ATTEMPTS).
 * `onRetry` hears why each lost attempt was given up (the last one too).
 */
export async function sourceAndReserve(
  order: OrderRequest,
  now: () => string,
  onRetry: (reason: string) => void,
): Promise<SourcingOutcome> {
  for (let attempt = 1; ; attempt++) {
    const decidedAt = now();
    const plan = await local.planSourcing({
      lines: order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
      delivery: order.delivery,
      ...(order.shipComplete !== undefined ? { shipComplete: order.shipComplete } : {}),
      channel: order.channel,
      now: decidedAt,
    });
    if (!servesEverythingNow(plan)) return { kind: 'unservable', plan, decidedAt, attempt };
    const steps: ReservationStep[] = [];
    const lost = await reservePlan(order, plan, decidedAt, steps);
    if (lost === undefined) return { kind: 'reserved', plan, decidedAt, attempt, steps };
    onRetry(lost);
    if (attempt >= MAX_SOURCING_ATTEMPTS) return { kind: 'lost_races', plan, decidedAt, attempt };
  }
}
