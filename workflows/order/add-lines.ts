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

/** The id of an added line the agent did not name: `L<n>`, the first n the order does not use. */
export function nextLineId(run: OrderRun): string {
  for (let n = run.view.lines.length + 1; ; n++) {
    const lineId = `L${n}`;
    if (!run.line(lineId)) return lineId;
  }
}

/**
 * One new line: its units reserved now as new fulfilments (a line nobody has in stock now is refused
 * with InsufficientStock rather than backordered: the agent adds it on the strength of availability),
 * authorised on top (a decline gives the stock back), then started when the order runs.
 */
async function addLine(run: OrderRun, added: AddedLine, actor: string): Promise<void> {
  const lineId = added.lineId ?? nextLineId(run);
  const { sku, quantity, unitPriceMinor } = added;
  const sourced = await sourceUnits(run, [{ lineId, sku, quantity }], false);
  if (sourced.backorders.length > 0 || sourced.unfillable.length > 0 || sourced.parts.length === 0) {
    await undoParts(run, sourced.parts);
    throw insufficientStock(`Not enough ${sku} in stock for ${quantity} unit(s).`);
  }
  const line: OrderLineView = { lineId, sku, quantity, unitPriceMinor, status: 'open' };
  run.view.lines.push(line);
  try {
    if (quantity * unitPriceMinor > 0)
      await payForNewUnits(run, quantity * unitPriceMinor, sourced.parts, `${quantity} × ${sku}`);
  } catch (error) {
    run.view.lines = run.view.lines.filter((l) => l !== line);
    throw error;
  }
  run.state.order = { ...run.order, lines: [...run.order.lines, { lineId, sku, quantity, unitPriceMinor }] };
  run.view.totalMinor = orderTotalMinor(run.view.lines);
  run.record('sourced', `line ${lineId}, ${quantity} × ${sku}: ${describePlan(sourced.plan)}`);
  if (run.state.phase === 'running') await startFulfillments(run);
  const price = `${unitPriceMinor} ${run.order.currency}`;
  await announceChange(run, 'line_added', `line ${lineId} added: ${quantity} × ${sku} at ${price}`, actor);
}

/** Adds the lines in order; one that cannot be served stops the change there (those before it stay). */
export async function addLines(run: OrderRun, lines: readonly AddedLine[], actor: string): Promise<void> {
  for (const added of lines) await addLine(run, added, actor);
}
