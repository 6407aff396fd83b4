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
  };
}
