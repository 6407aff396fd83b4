import {
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import type { OrderView } from '../../src/domain/order-view';
import type { OrderWorkflowInput } from '../order.messages';
import { applyChildReport } from './apply-child-report';
import { backorderDeadlines, expireBackorders, recheckBackorders } from './backorders';
import { settlePendingAfterClose } from './close-order';
import { registerHandlers } from './handlers';
import { enforceHoldLimits, holdDeadlines } from './holds';
import { authorizeOrder, completeIfDone, confirmOrder, settleAuthorization, sourceOrder } from './main-steps';
import { OrderRun, snapshotOf } from './order-run';
import { createCheckpoint } from './run-state';
import { registerReturnHandlers, type OrderReturns } from '../returns/order-returns';
import { orderReturnsContext, showReturns } from '../returns/order-run-returns';

/** Returns and appeasements on the order; the order stays open until its return windows have passed. */
const ORDER_RETURNS_PATCH = 'order-returns';

/** Phases whose next step can run at once. */
const READY_PHASES = ['sourcing', 'authorizing', 'confirming'];

/** The instants at which the order must act by itself (payment look-up, hold escalation and limit, backorders). */
function deadlines(run: OrderRun): number[] {
  const { phase, paymentPollAt } = run.state;
  const holds = holdDeadlines(run);
  const backorders = phase === 'running' ? backorderDeadlines(run) : {};
  return [
    phase === 'awaiting_payment' && paymentPollAt ? Date.parse(paymentPollAt) : undefined,
    holds.escalateAt,
    holds.limitAt,
    backorders.recheckAt,
    backorders.limitAt,
  ].filter((at): at is number => at !== undefined);
}

/** The earliest of them, if any. */
function nextDeadline(run: OrderRun): number | undefined {
  const all = deadlines(run);
  return all.length > 0 ? Math.min(...all) : undefined;
}

const isDue = (at: number | undefined, now: number): boolean => at !== undefined && at <= now;

/** True when the main flow has something to do now. */
function hasWork(run: OrderRun): boolean {
  if (run.closed || READY_PHASES.includes(run.state.phase) || run.childReports.length > 0) return true;
  if (run.state.phase === 'awaiting_payment' && run.paymentNudged) return true;
  if (run.state.phase === 'running' && run.stockArrived && (run.view.backorders ?? []).length > 0)
    return true;
  const now = run.nowMs();
  return deadlines(run).some((at) => isDue(at, now));
}

/** One step of the main flow, under the lock: whatever the phase, the signals and the clock call for. */
async function step(run: OrderRun): Promise<void> {
  const { state } = run;
  if (state.phase === 'sourcing') await sourceOrder(run);
  else if (state.phase === 'authorizing') await authorizeOrder(run);
  else if (state.phase === 'awaiting_payment') {
    if (run.paymentNudged || isDue(Date.parse(state.paymentPollAt ?? ''), run.nowMs()))
      await settleAuthorization(run);
  } else if (state.phase === 'confirming') await confirmOrder(run);
  if (state.phase === 'running') {
    for (let report = run.childReports.shift(); report; report = run.childReports.shift()) {
      await applyChildReport(run, report);
      if (run.closed) return;
    }
    const { recheckAt, limitAt } = backorderDeadlines(run);
    const now = run.nowMs();
    if (isDue(limitAt, now)) await expireBackorders(run);
    else if (run.stockArrived || isDue(recheckAt, now)) await recheckBackorders(run);
  }
  if (!run.closed) await enforceHoldLimits(run);
  if (state.phase === 'running') await completeIfDone(run);
}

/** The server suggests it, or the history reached the configured length. */
function historyIsLong(run: OrderRun): boolean {
  const info = workflowInfo();
  const limit = run.times.continueAsNewAfterEvents;
  return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
}

/**
 * Continues as new with the checkpoint as input; the memo (request hash, sourcing) and the search
 * attributes go along. Children and stock waiters find the new run: they address the workflow id.
 */
async function continueWithCheckpoint(run: OrderRun): Promise<never> {
  const info = workflowInfo();
  const next = makeContinueAsNewFunc<(input: OrderWorkflowInput) => Promise<OrderView>>({
    ...(info.memo ? { memo: info.memo } : {}),
    typedSearchAttributes: info.typedSearchAttributes,
  });
  return next({ ...run.input, continued: snapshotOf(run.state) });
}

/** A quiet point: nothing queued, no step or Update running. Only there may the run continue as new. */
const isQuiet = (run: OrderRun): boolean =>
  !run.lock.isHeld &&
  run.childReports.length === 0 &&
  !run.stockArrived &&
  !run.paymentNudged &&
  allHandlersFinished();

/**
 * After the order closed: waits until no RMA is open and every delivered unit's return window has passed,
 * continuing as new at a quiet point whenever the history grows long (the RMAs signal the workflow id).
 */
async function waitOutReturns(run: OrderRun, returns: OrderReturns): Promise<void> {
  while (!(await returns.waitUntilSettled(() => historyIsLong(run)))) {
    // Closed, the main loop's queues (a late child report, a payment nudge) are moot: only the lock and handlers.
    await condition(() => !run.lock.isHeld && allHandlersFinished());
    await continueWithCheckpoint(run);
  }
}

/**
 * Order lifecycle v2: sourcing (fulfilments now, backorders later), payment (pending, fraud review),
 * one child workflow per fulfilment, capture per shipped share, agents' Updates (cancel, modify, hold,
 * resolve) serialised with the main flow by one lock, and timers for holds, backorders and payment.
 * Long-lived orders continue as new at a quiet point, carrying their checkpoint. With returns (patched
 * 'order-returns'), a closed order that reached the customer stays open for its RMAs and appeasements.
 */
export async function orderV2(input: OrderWorkflowInput): Promise<OrderView> {
  const state = input.continued ?? createCheckpoint(input.order, input.receivedAt, input.actor);
  const run = new OrderRun(input, state);
  registerHandlers(run);
  const returns = patched(ORDER_RETURNS_PATCH) ? registerReturnHandlers(orderReturnsContext(run)) : undefined;
  if (returns && !input.continued) await returns.indexCustomer();
  await run.publish();
  while (!run.closed) {
    if (historyIsLong(run) && isQuiet(run)) await continueWithCheckpoint(run);
    await run.lock.run(async () => {
      await step(run);
      if (returns) showReturns(run);
      await run.publish();
    });
    if (run.closed) break;
    // Wakes for work, or when an Update brings a new deadline (a hold), to wait again with the right timer.
    const next = nextDeadline(run);
    const woken = () => hasWork(run) || nextDeadline(run) !== next;
    if (next === undefined) await condition(woken);
    else await condition(woken, Math.max(1, next - run.nowMs()));
  }
  await settlePendingAfterClose(run);
  if (returns) await waitOutReturns(run, returns);
  await condition(allHandlersFinished);
  await run.publish();
  return run.view;
}
