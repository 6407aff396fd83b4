import type { DeliverySpeedChange } from '../order.messages';
import { announceChange } from './new-units';
import type { OrderRun } from './order-run';
import { rerouteOpenParts } from './reroute-parts';

/** The patch that lets an agent change a shipped order's delivery speed. */
export const CHANGE_SPEED_PATCH = 'order-v2-change-speed';

/** The order's carrier service level (standard unless the order asked for express). */
export const speedOf = (run: OrderRun): DeliverySpeedChange => run.order.delivery.speed ?? 'standard';

/**
 * Standard ↔ express for what has not left: the order's delivery takes the new speed (later sourcing and
 * the promise use it), the customer is told, and each parcel still at its node is sourced again when
 * another node now promises it sooner. The price does not change: the order carries no shipping charge.
 */
export async function changeSpeed(run: OrderRun, speed: DeliverySpeedChange, actor: string): Promise<void> {
  const from = speedOf(run);
  if (speed === from) return;
  const delivery = { ...run.order.delivery, speed };
  run.state.order = { ...run.order, delivery };
  run.view.delivery = delivery;
  await announceChange(run, 'speed_changed', `delivery speed changed from ${from} to ${speed}`, actor);
  await rerouteOpenParts(run, actor);
}
