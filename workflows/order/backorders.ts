import type { BackorderView } from '../../src/domain/order-view';
import type { LineUnits } from '../../src/domain/sourcing/sourcing-result';
import { describePlan } from '../sourcing-summary';
import { cancelUnits } from './cancel-order';
import type { OrderRun } from './order-run';
import { sourceUnits } from './source-units';
import { startFulfillments } from './start-fulfillments';
import { startWaitingFor, stopWaitingFor } from './stock-waiting';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Backorders merged per line (the engine takes one request line per order line). */
function waitingUnits(backorders: readonly BackorderView[]): LineUnits[] {
  const byLine = new Map<string, LineUnits>();
  for (const b of backorders) {
    const units = byLine.get(b.lineId) ?? { lineId: b.lineId, sku: b.sku, quantity: 0 };
    units.quantity += b.quantity;
    byLine.set(b.lineId, units);
  }
  return [...byLine.values()];
}

/** The latest date promised for a line's waiting units. */
const promiseOf = (backorders: readonly BackorderView[], lineId: string): string | undefined =>
  backorders
    .filter((b) => b.lineId === lineId && b.promisedDate)
    .map((b) => b.promisedDate as string)
    .sort()
    .at(-1);

/** Tells the customer about units now waiting, with the date promised for them. */
export async function announceBackorders(run: OrderRun, backorders: readonly BackorderView[]): Promise<void> {
  for (const lineId of [...new Set(backorders.map((b) => b.lineId))]) {
    const mine = backorders.filter((b) => b.lineId === lineId);
    const quantity = mine.reduce((t, b) => t + b.quantity, 0);
    const sku = mine[0]?.sku ?? '';
    const promisedDate = promiseOf(mine, lineId);
    run.record('backordered', `${quantity} × ${sku}${promisedDate ? ` promised for ${promisedDate}` : ''}`);
    if (promisedDate)
      await run.notify('backordered', { sku, quantity, promisedDate }, `${lineId}:${mine[0]?.since ?? ''}`);
  }
}

/** Adds units to the order's backorders and registers the order as waiting for their SKUs. */
export async function addBackorders(run: OrderRun, backorders: readonly BackorderView[]): Promise<void> {
  if (backorders.length === 0) return;
  run.view.backorders = [...(run.view.backorders ?? []), ...backorders];
  for (const line of run.view.lines) {
    const promisedDate = promiseOf(run.view.backorders, line.lineId);
    if (promisedDate) line.promisedDate = promisedDate;
  }
  await startWaitingFor(run);
}

/** When the order next looks at its backorders again (a missed wake-up), and when they run out of time. */
export function backorderDeadlines(run: OrderRun): { recheckAt?: number; limitAt?: number } {
  const backorders = run.view.backorders ?? [];
  if (backorders.length === 0) return {};
  const since = Math.min(...backorders.map((b) => Date.parse(b.since)));
  const checked = Date.parse(run.state.backordersCheckedAt ?? new Date(since).toISOString());
  return { recheckAt: checked + run.times.backorderRecheckMs, limitAt: since + run.times.backorderLimitMs };
}

/**
 * Sources the waiting units again (stock arrived, or the daily re-check): what can leave now becomes new
 * fulfilments, the rest keeps waiting with the engine's new promise; a promise that slips is told to the
 * customer. A ship-complete order moves only as a whole.
 */
export async function recheckBackorders(run: OrderRun): Promise<void> {
  run.stockArrived = false;
  run.state.backordersCheckedAt = run.nowIso();
  const before = run.view.backorders ?? [];
  if (before.length === 0) return;
  const sourced = await sourceUnits(run, waitingUnits(before), run.order.shipComplete === true);
  if (sourced.parts.length > 0) {
    run.record('sourced', describePlan(sourced.plan));
    for (const part of sourced.parts) {
      for (const line of part.lines) {
        run.record('backorder_available', `${line.quantity} × ${line.sku} in ${part.fulfillmentId}`);
        await run.notify('backorder_available', { sku: line.sku }, `${line.lineId}:${part.fulfillmentId}`);
      }
    }
  }
  // Units the engine no longer sees supply for keep waiting on their old promise until the limit.
  const unplaced: BackorderView[] = sourced.unfillable.map((u) => ({ ...u, since: sourced.decidedAt }));
  const stillWaiting: BackorderView[] = [...sourced.backorders, ...unplaced].map((b) => {
    const old = before.filter((o) => o.lineId === b.lineId);
    const since = old.map((o) => o.since).sort()[0] ?? b.since;
    const promisedDate = b.promisedDate ?? promiseOf(old, b.lineId);
    return { ...b, since, ...(promisedDate ? { promisedDate } : {}) };
  });
  run.view.backorders = stillWaiting;
  for (const line of run.view.lines) {
    const previous = promiseOf(before, line.lineId);
    const next = promiseOf(stillWaiting, line.lineId);
    if (next) line.promisedDate = next;
    else delete line.promisedDate;
    if (previous && next && next > previous) {
      run.record('backorder_delayed', `${line.sku}: promised ${next} instead of ${previous}`);
      await run.notify(
        'backorder_delayed',
        { sku: line.sku, promisedDate: next, previousDate: previous },
        `${line.lineId}:${next}`,
      );
    }
  }
  await stopWaitingFor(run);
  if (run.state.phase === 'running') await startFulfillments(run);
  run.refreshStatus();
}

/** Backordered units past the limit are cancelled (the whole order when it ships complete). */
export async function expireBackorders(run: OrderRun): Promise<void> {
  const backorders = run.view.backorders ?? [];
  const reason = `backordered for more than ${Math.round(run.times.backorderLimitMs / DAY_MS)} days`;
  const units = waitingUnits(backorders).map(({ lineId, quantity }) => ({ lineId, quantity }));
  await cancelUnits(run, units, reason, 'system');
}
