import type { OrderRun } from './order-run';
import { authorizeAndWait } from './payment-steps';
import { notAllowed } from './rejections';
import type { PartRecord } from './run-state';
import { undoParts } from './source-units';

/** Phases in which the order's first authorisation has not been asked for yet: it will cover the new total. */
const BEFORE_AUTHORIZATION = ['sourcing', 'authorizing'];

/**
 * Authorises what units an agent added are worth, on top of what is authorised (unless the order's
 * first authorisation is still to come: it covers the new total). A decline gives the parts reserved
 * for them back and refuses the change (409).
 */
export async function payForNewUnits(
  run: OrderRun,
  amountMinor: number,
  newParts: readonly PartRecord[],
  what: string,
): Promise<void> {
  if (BEFORE_AUTHORIZATION.includes(run.state.phase)) return;
  if (await authorizeAndWait(run, amountMinor)) return;
  await undoParts(run, newParts);
  throw notAllowed(`The payment for ${what} was declined.`);
}

/** Parts that were not in the run before (what a change has just reserved). */
export const partsAddedSince = (run: OrderRun, before: readonly PartRecord[]): PartRecord[] =>
  run.state.parts.filter((p) => !before.includes(p));

/** Tells the customer and the timeline what an agent changed. */
export async function announceChange(
  run: OrderRun,
  type: string,
  change: string,
  actor: string,
): Promise<void> {
  run.record(type, change, actor);
  await run.notify('order_changed', { change }, `change:${++run.state.counters.change}`);
}
