import { upsertMemo } from '@temporalio/workflow';
import type { LineUnits } from '../../src/domain/sourcing/sourcing-result';
import { reservationKey } from '../../src/domain/order-state';
import { sourceFromCartHold } from '../cart-hold-conversion';
import type { SourcingOutcome } from '../reserve-sourcing-plan';
import { describePlan, sourcingMemo } from '../sourcing-summary';
import { addBackorders, announceBackorders } from './backorders';
import { describeUnits } from './cancel-order';
import { closeOrder } from './close-order';
import { placeHold } from './holds';
import type { OrderRun } from './order-run';
import {
  authorize,
  checkPendingAuthorization,
  dueMinor,
  voidExcess,
  type AuthorizationAnswer,
} from './payment-steps';
import type { PartRecord } from './run-state';
import { sourceUnits, undoParts, type SourcedUnits } from './source-units';
import { startFulfillments } from './start-fulfillments';

/** The parts of a cart-hold order whose reservations were transferred from the hold (one node, no capacity taken). */
function partsFromHold(run: OrderRun, outcome: Extract<SourcingOutcome, { kind: 'reserved' }>): SourcedUnits {
  const parts: PartRecord[] = outcome.plan.allocations.map((allocation, index) => ({
    fulfillmentId: `${run.orderId}-F${run.state.nextFulfillment + index}`,
    nodeId: allocation.nodeId,
    method: run.order.delivery.method,
    lines: allocation.lines.map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      quantity: l.quantity,
      reservationKey: reservationKey(run.orderId, l.lineId, allocation.nodeId),
    })),
    ...(outcome.steps.some((s) => s.kind === 'capacity')
      ? { capacity: { nodeId: allocation.nodeId, orderId: run.orderId, at: outcome.decidedAt } }
      : {}),
    started: false,
    paid: false,
    settled: false,
  }));
  run.state.nextFulfillment += parts.length;
  run.state.parts.push(...parts);
  return {
    plan: outcome.plan,
    decidedAt: outcome.decidedAt,
    attempt: outcome.attempt,
    parts,
    backorders: [],
    unfillable: [],
  };
}

/** Sources the whole order: a cart hold's units when it names one, else the engine's plan reserved as a saga. */
async function sourceWholeOrder(run: OrderRun): Promise<SourcedUnits> {
  const units: LineUnits[] = run.order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
  if (run.order.cartHoldId) {
    const held = await sourceFromCartHold(
      run.order,
      run.order.cartHoldId,
      () => run.nowIso(),
      (reason) => run.record('sourcing_retry', reason),
    );
    if (held.kind === 'reserved') return partsFromHold(run, held);
  }
  return sourceUnits(run, units, run.order.shipComplete === true);
}

/**
 * First step: what can leave now is reserved (fulfilments), what inbound supply covers is backordered,
 * what nobody has is cancelled; an order left with nothing is cancelled out of stock.
 */
export async function sourceOrder(run: OrderRun): Promise<void> {
  const sourced = await sourceWholeOrder(run);
  const { plan } = sourced;
  run.view.sourcing = { ...plan, decidedAt: sourced.decidedAt, attempt: sourced.attempt };
  upsertMemo({ sourcing: sourcingMemo(plan, sourced.attempt) });
  run.record('sourced', describePlan(plan));
  await addBackorders(run, sourced.backorders);
  if (sourced.unfillable.length > 0) {
    for (const unit of sourced.unfillable) {
      const line = run.line(unit.lineId);
      if (line) line.cancelledQuantity = (line.cancelledQuantity ?? 0) + unit.quantity;
    }
    run.record('lines_cancelled', `${describeUnits(run, sourced.unfillable)}: out of stock`);
  }
  if (sourced.parts.length === 0 && (run.view.backorders ?? []).length === 0) {
    await closeOrder(run, 'cancelled', 'out_of_stock');
    return;
  }
  if (sourced.parts.length > 0)
    run.record('stock_reserved', `at ${sourced.parts.map((p) => p.nodeId).join(', ')}`);
  run.state.phase = 'authorizing';
  run.refreshStatus();
}

/** A declined payment: every reservation and capacity claim is given back and the order ends payment_failed. */
async function failPayment(run: OrderRun, reason?: string): Promise<void> {
  await undoParts(run, run.state.parts);
  run.record('stock_released', 'payment declined');
  for (const line of run.view.lines) line.cancelledQuantity = line.quantity;
  await closeOrder(run, 'payment_failed', reason ?? 'payment declined', 'payment');
}

/** Moves the order on from the provider's answer to its authorisation. */
async function afterAuthorization(
  run: OrderRun,
  answer: AuthorizationAnswer,
  reason?: string,
): Promise<void> {
  if (answer === 'declined') await failPayment(run, reason);
  else if (answer === 'pending') run.state.phase = 'awaiting_payment';
  else if (answer === 'review') {
    run.state.phase = 'awaiting_review';
    await placeHold(run, 'fraud_review', 'payment flagged for fraud review', 'payment');
  } else run.state.phase = 'confirming';
}

/** Authorises what the order is worth (backorders included; they are voided if they never come). */
export async function authorizeOrder(run: OrderRun): Promise<void> {
  const { answer, reason } = await authorize(run, dueMinor(run));
  await afterAuthorization(run, answer, reason);
}

/** The provider answered (webhook) or it is time to ask again about the pending authorisation. */
export async function settleAuthorization(run: OrderRun): Promise<void> {
  const answer = await checkPendingAuthorization(run);
  if (answer !== 'pending') await afterAuthorization(run, answer);
}

/** Confirmation: one child per fulfilment, the customer told (with the promise of any backorder). */
export async function confirmOrder(run: OrderRun): Promise<void> {
  await voidExcess(run, 'cancelled before confirmation');
  run.state.phase = 'running';
  await startFulfillments(run);
  run.refreshStatus();
  await run.notify('order_confirmed', { totalMinor: run.view.totalMinor, currency: run.order.currency });
  await announceBackorders(run, run.view.backorders ?? []);
}

/** Every part has reached its end and nothing waits: the order completes (or ends cancelled). */
export async function completeIfDone(run: OrderRun): Promise<void> {
  if (run.childReports.length > 0 || (run.view.backorders ?? []).length > 0) return;
  if (!run.state.parts.every((p) => p.settled)) return;
  run.refreshStatus();
  const cancelled = run.view.lines.every((line) => line.status === 'cancelled');
  await closeOrder(
    run,
    cancelled ? 'cancelled' : 'completed',
    cancelled ? 'nothing left to send' : undefined,
  );
}
