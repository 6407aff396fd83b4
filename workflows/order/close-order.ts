import { condition } from '@temporalio/workflow';
import { voidableMinor } from '../../src/domain/payment-account';
import type { OrderStatus } from '../../src/domain/order-view';
import { showReturns } from '../returns/order-run-returns';
import { SYSTEM, type OrderRun } from './order-run';
import { checkPendingAuthorization, pendingAuthorization, voidAmount } from './payment-steps';
import { stopWaitingFor } from './stock-waiting';

/** How an order ends. */
export type Ending = Extract<OrderStatus, 'completed' | 'cancelled' | 'payment_failed'>;

/**
 * Ends the order: whatever is still authorised is voided (nothing is left to capture), the stock waiters
 * are removed, the hold ends, and the final status goes on the timeline (then what came back, if any); a
 * cancelled customer is told.
 */
export async function closeOrder(
  run: OrderRun,
  ending: Ending,
  detail?: string,
  actor: string = SYSTEM,
): Promise<void> {
  run.state.phase = 'closed';
  delete run.view.hold;
  const open = voidableMinor(run.state.account, run.nowMs());
  if (open > 0)
    await voidAmount(run, open, ending === 'completed' ? 'nothing left to capture' : (detail ?? ending));
  run.view.backorders = [];
  await stopWaitingFor(run);
  run.refreshStatus();
  run.setStatus(ending, detail, actor);
  // Units returned while other parts still travelled: the order shows it once the parts are done.
  showReturns(run);
  if (ending === 'cancelled') await run.notify('cancelled', detail ? { reason: detail } : {});
}

/**
 * An order closed while its authorisation was still pending at the provider: wait for the answer (the
 * webhook, or the periodic look-up) and void what it grants, so no money stays held.
 */
export async function settlePendingAfterClose(run: OrderRun): Promise<void> {
  while (pendingAuthorization(run)) {
    const pollAt = Date.parse(run.state.paymentPollAt ?? run.nowIso());
    await condition(() => run.paymentNudged, Math.max(1, pollAt - run.nowMs()));
    await run.lock.run(async () => {
      if ((await checkPendingAuthorization(run)) === 'pending') return;
      const open = voidableMinor(run.state.account, run.nowMs());
      if (open > 0) await voidAmount(run, open, 'order closed before the provider answered');
      await run.publish();
    });
  }
}
