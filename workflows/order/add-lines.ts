import { orderTotalMinor } from '../../src/domain/money';
import type { OrderLineView } from '../../src/domain/order-view';
import type { AddedLine } from '../order.messages';
import { describePlan } from '../sourcing-summary';
import { announceChange, payForNewUnits } from './new-units';
import type { OrderRun } from './order-run';
import { insufficientStock } from './rejections';
import { sourceUnits, undoParts } from './source-units';
import { startFulfillments } from './start-fulfillments';

/** The patch that lets an agent add a line to a placed order. */
export const ADD_LINES_PATCH = 'order-v2-add-lines';

/** The id of an added line the agent did not name: `L<n>`, the first n neither the order nor the request uses. */
export function nextLineId(run: OrderRun, named: ReadonlySet<string>): string {
  for (let n = run.view.lines.length + 1; ; n++) {
    const lineId = `L${n}`;
    if (!run.line(lineId) && !named.has(lineId)) return lineId;
  }
}

/** Appends the added lines to the view (ids given to unnamed ones); answers them. */
function appendLines(run: OrderRun, added: readonly AddedLine[]): OrderLineView[] {
  const named = new Set(added.flatMap((a) => (a.lineId === undefined ? [] : [a.lineId])));
  return added.map(({ lineId, sku, quantity, unitPriceMinor }) => {
    const line: OrderLineView = {
      lineId: lineId ?? nextLineId(run, named),
      sku,
      quantity,
      unitPriceMinor,
      status: 'open',
    };
    run.view.lines.push(line);
    return line;
  });
}

const describeLine = (run: OrderRun, line: OrderLineView): string =>
  `${line.lineId} (${line.quantity} × ${line.sku} at ${line.unitPriceMinor} ${run.order.currency})`;

/**
 * New lines, all or none: their units are sourced together on one plan and reserved now as new
 * fulfilments (a line no node has in stock now is refused with InsufficientStock rather than backordered:
 * the agent adds it on the strength of availability), authorised on top in one authorisation (a decline
 * gives the stock back), then started when the order runs.
 */
export async function addLines(run: OrderRun, added: readonly AddedLine[], actor: string): Promise<void> {
  const lines = appendLines(run, added);
  const forget = () => (run.view.lines = run.view.lines.filter((l) => !lines.includes(l)));
  const units = lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
  const sourced = await sourceUnits(run, units, false).catch((error: unknown) => {
    forget();
    throw error;
  });
  const short = new Set([...sourced.backorders, ...sourced.unfillable].map((u) => u.lineId));
  if (short.size > 0 || sourced.parts.length === 0) {
    await undoParts(run, sourced.parts);
    forget();
    const missing = lines.filter((l) => short.has(l.lineId) || short.size === 0);
    throw insufficientStock(
      missing.map((l) => `Not enough ${l.sku} in stock for ${l.quantity} unit(s).`).join(' '),
    );
  }
  const amountMinor = lines.reduce((total, l) => total + l.quantity * l.unitPriceMinor, 0);
  try {
    const what = lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
    if (amountMinor > 0) await payForNewUnits(run, amountMinor, sourced.parts, what);
  } catch (error) {
    forget();
    throw error;
  }
  const requested = lines.map(({ lineId, sku, quantity, unitPriceMinor }) => ({
    lineId,
    sku,
    quantity,
    unitPriceMinor,
  }));
  run.state.order = { ...run.order, lines: [...run.order.lines, ...requested] };
  run.view.totalMinor = orderTotalMinor(run.view.lines);
  const ids = lines.map((l) => l.lineId).join(', ');
  run.record('sourced', `${lines.length > 1 ? 'lines' : 'line'} ${ids}: ${describePlan(sourced.plan)}`);
  if (run.state.phase === 'running') await startFulfillments(run);
  const change = `${lines.length > 1 ? 'lines' : 'line'} added: ${lines.map((l) => describeLine(run, l)).join(', ')}`;
  await announceChange(run, 'line_added', change, actor);
}
