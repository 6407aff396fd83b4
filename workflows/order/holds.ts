import type { HoldKind } from '../../src/domain/order-view';
import { cancelUnits, unitsStillHere } from './cancel-order';
import { SYSTEM, type OrderRun } from './order-run';
import { signalHold } from './start-fulfillments';

/** Puts the order on hold: its children stop shipping and handing over until the hold is released. */
export async function placeHold(run: OrderRun, kind: HoldKind, reason: string, actor: string): Promise<void> {
  run.view.hold = { kind, reason, since: run.nowIso(), actor };
  run.state.counters.hold += 1;
  await signalHold(run, true);
  run.refreshStatus(`${kind === 'fraud_review' ? 'fraud review' : 'manual hold'}: ${reason}`, actor);
  if (kind === 'fraud_review') await run.notify('payment_review', {}, `hold:${run.state.counters.hold}`);
  else await run.notify('on_hold', { reason }, `hold:${run.state.counters.hold}`);
}

/**
 * Releases the hold; the order continues where it stopped (a fraud review releases the authorisation
 * and lets the order be confirmed; children may ship again).
 */
export async function releaseHold(run: OrderRun, actor: string, reason?: string): Promise<void> {
  const hold = run.view.hold;
  if (!hold) return;
  delete run.view.hold;
  run.record('hold_released', `${hold.kind}: ${hold.reason}${reason ? `; ${reason}` : ''}`, actor);
  if (hold.kind === 'fraud_review') {
    for (const auth of run.state.account.authorizations)
      if (auth.status === 'review') auth.status = 'authorized';
    if (run.state.phase === 'awaiting_review') run.state.phase = 'confirming';
  }
  await signalHold(run, false);
  run.refreshStatus(undefined, actor);
}

/** When a hold is escalated, and when it is cancelled. */
export function holdDeadlines(run: OrderRun): { escalateAt?: number; limitAt?: number } {
  const hold = run.view.hold;
  if (!hold) return {};
  const since = Date.parse(hold.since);
  return {
    ...(hold.escalatedAt ? {} : { escalateAt: since + run.times.holdEscalateMs }),
    limitAt: since + run.times.holdLimitMs,
  };
}

/** An order on hold too long: first an operations alert, then, at the limit, cancelled with everything released. */
export async function enforceHoldLimits(run: OrderRun): Promise<void> {
  const hold = run.view.hold;
  if (!hold) return;
  const { escalateAt, limitAt } = holdDeadlines(run);
  const now = run.nowMs();
  if (limitAt !== undefined && now >= limitAt) {
    const reason = `on hold since ${hold.since} (${hold.reason}), past the hold limit`;
    await releaseHold(run, SYSTEM, 'hold limit reached');
    await cancelUnits(run, unitsStillHere(run), reason, SYSTEM);
    return;
  }
  if (escalateAt !== undefined && now >= escalateAt) {
    hold.escalatedAt = run.nowIso();
    const cancelAt = new Date(limitAt ?? now).toISOString();
    run.record(
      'hold_escalated',
      `on hold since ${hold.since} (${hold.reason}); cancelled at ${cancelAt} unless released`,
    );
    await run.notify(
      'hold_escalated',
      { heldSince: hold.since, reason: hold.reason, cancelAt },
      `hold:${run.state.counters.hold}`,
    );
  }
}
