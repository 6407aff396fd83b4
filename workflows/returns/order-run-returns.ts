import { markReturnedLines, returnedOrderStatus } from '../../src/domain/returns/order-returns-status';
import type { OrderRun } from '../order/order-run';
import type { OrderReturnsContext } from './order-returns';

/** What the v2 order gives the returns plug-in: its view, account, token, helpers and lock, read live. */
export function orderReturnsContext(run: OrderRun): OrderReturnsContext {
  return {
    view: () => run.view,
    account: () => run.state.account,
    paymentToken: () => run.order.payment.token,
    record: (type, detail, actor) => run.record(type, detail, actor),
    publish: () => run.publish(),
    notify: (event, data, subject) => run.notify(event, data, subject),
    lock: run.lock,
    simulation: run.input.simulation,
    ...(run.input.simStepMs !== undefined ? { simStepMs: run.input.simStepMs } : {}),
    // While parts still travel their status is the order's; closing shows what came back (showReturns).
    statusFollowsReturns: () => run.closed,
  };
}

/**
 * Shows what came back on a v2 order: lines whose delivered units are all back are `returned` again (the
 * parts' statuses overwrite them), and a closed order becomes `partially_returned`/`returned`.
 */
export function showReturns(run: OrderRun): void {
  if (run.view.returns.length === 0) return;
  markReturnedLines(run.view);
  const status = run.closed ? returnedOrderStatus(run.view) : undefined;
  if (status && status !== run.view.status) run.setStatus(status);
}
