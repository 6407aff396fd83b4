import { patched } from '@temporalio/workflow';
import { orderTotalMinor } from '../../src/domain/money';
import type { Address } from '../../src/domain/order-request';
import { activities, local } from '../order-activity-proxies';
import type { ModifyOrderRequest } from '../order.messages';
import { describePlan } from '../sourcing-summary';
import { ADD_LINES_PATCH, addLines } from './add-lines';
import { cancelUnits } from './cancel-order';
import { CHANGE_SPEED_PATCH, changeSpeed } from './change-speed';
import { GROW_PARCEL_PATCH, reopenWaitingParcel, unstartedParcelOf } from './grow-parcel';
import { announceChange, partsAddedSince, payForNewUnits } from './new-units';
import type { OrderRun } from './order-run';
import { voidExcess } from './payment-steps';
import { insufficientStock, notAllowed } from './rejections';
import { ADDRESS_REROUTE_PATCH, rerouteOpenParts } from './reroute-parts';
import { sourceUnits, undoParts } from './source-units';
import { startFulfillments } from './start-fulfillments';
import { takeUnitsBack, unitsNotLeft } from './take-units-back';

/** Sends every fulfilment still at its node to the new address; a child that refuses (it left) stops the change. */
async function changeAddress(run: OrderRun, address: Address, actor: string): Promise<void> {
  for (const part of run.state.parts.filter((p) => p.started && !p.settled && p.method === 'ship')) {
    const answer = await activities.changeFulfillmentAddress({
      fulfillmentId: part.fulfillmentId,
      address,
      actor,
    });
    if (answer.outcome === 'refused')
      throw notAllowed(`${part.fulfillmentId} can no longer be redirected: ${answer.reason}`);
  }
  const delivery = { ...run.order.delivery, address };
  run.state.order = { ...run.order, delivery };
  run.view.delivery = delivery;
  const change = `delivery address changed to ${address.line1}, ${address.postalCode} ${address.city}`;
  await announceChange(run, 'address_changed', change, actor);
  if (patched(ADDRESS_REROUTE_PATCH)) await rerouteOpenParts(run, actor);
}

/** More units of a line: reserved on a part not started yet when its node has them, else as a new fulfilment. */
async function reserveMore(run: OrderRun, lineId: string, extra: number): Promise<void> {
  const line = run.line(lineId);
  if (!line) return;
  const unstarted = run.state.parts.find(
    (p) => !p.started && !p.settled && p.lines.some((l) => l.lineId === lineId),
  );
  const held = unstarted?.lines.find((l) => l.lineId === lineId);
  if (unstarted && held) {
    const answer = await local.adjustReservedLine({
      orderId: run.orderId,
      nodeId: unstarted.nodeId,
      line: { key: held.reservationKey, sku: held.sku, quantity: held.quantity + extra },
      pool: { channel: run.order.channel },
    });
    if (answer === 'adjusted') {
      held.quantity += extra;
      return;
    }
  }
  if (run.order.shipComplete === true && run.state.parts.some((p) => p.started)) {
    throw notAllowed(
      'A ship-complete order leaves as one parcel: once confirmed, its quantities can only go down.',
    );
  }
  const sourced = await sourceUnits(run, [{ lineId, sku: line.sku, quantity: extra }], false);
  if (sourced.backorders.length > 0 || sourced.unfillable.length > 0) {
    await undoParts(run, sourced.parts);
    throw insufficientStock(`Not enough ${line.sku} in stock for ${extra} more unit(s).`);
  }
  run.record('sourced', `${extra} more × ${line.sku}: ${describePlan(sourced.plan)}`);
}

/**
 * More units of a line: a parcel still waiting at a node that has them is reopened to take them (one
 * parcel, not two from the same node), else they are reserved as reserveMore does; then authorised. A
 * decline gives back exactly what was reserved for them; a reopened parcel starts again whatever happens.
 */
async function raiseQuantity(run: OrderRun, lineId: string, extra: number, actor: string): Promise<void> {
  const line = run.line(lineId);
  if (!line) return;
  await reopenWaitingParcel(run, lineId, extra, actor);
  const partsBefore = [...run.state.parts];
  const unstarted = unstartedParcelOf(run, lineId);
  const held = unstarted?.lines.find((l) => l.lineId === lineId);
  const heldBefore = held?.quantity ?? 0;
  try {
    await reserveMore(run, lineId, extra);
    const what = `${extra} more unit(s) of ${line.sku}`;
    await payForNewUnits(run, extra * line.unitPriceMinor, partsAddedSince(run, partsBefore), what);
  } catch (error) {
    if (unstarted && held && held.quantity !== heldBefore) {
      await local.adjustReservedLine({
        orderId: run.orderId,
        nodeId: unstarted.nodeId,
        line: { key: held.reservationKey, sku: held.sku, quantity: heldBefore },
        pool: { channel: run.order.channel },
      });
      held.quantity = heldBefore;
    }
    if (run.state.phase === 'running') await startFulfillments(run);
    throw error;
  }
}

/** A line's new quantity: fewer units are taken back and voided, more are reserved and authorised. */
async function changeQuantity(run: OrderRun, lineId: string, quantity: number, actor: string): Promise<void> {
  const line = run.line(lineId);
  if (!line) return;
  const current = line.quantity - (line.cancelledQuantity ?? 0);
  if (quantity === current) return;
  if (quantity === 0) {
    await cancelUnits(run, [{ lineId, quantity: unitsNotLeft(run, lineId) }], 'line removed', actor);
    return;
  }
  const change = `line ${lineId} (${line.sku}) from ${current} to ${quantity}`;
  if (quantity < current) {
    await takeUnitsBack(run, lineId, current - quantity, 'quantity lowered', actor);
    line.quantity -= current - quantity;
    await voidExcess(run, `${change}`);
  } else {
    const extra = quantity - current;
    if (patched(GROW_PARCEL_PATCH)) await raiseQuantity(run, lineId, extra, actor);
    else {
      const partsBefore = [...run.state.parts];
      await reserveMore(run, lineId, extra);
      await payForNewUnits(
        run,
        extra * line.unitPriceMinor,
        partsAddedSince(run, partsBefore),
        `${extra} more unit(s) of ${line.sku}`,
      );
    }
    line.quantity += extra;
    if (run.state.phase === 'running') await startFulfillments(run);
  }
  run.view.totalMinor = orderTotalMinor(run.view.lines);
  await announceChange(run, 'line_changed', change, actor);
}

/**
 * An agent's change, in this order: the address before anything shipped (parcels re-sourced when another
 * node now serves it sooner), the delivery speed, quantities before their line ships, added lines.
 */
export async function modifyOrder(run: OrderRun, request: ModifyOrderRequest): Promise<void> {
  if (request.address) await changeAddress(run, request.address, request.actor);
  if (request.speed && patched(CHANGE_SPEED_PATCH)) await changeSpeed(run, request.speed, request.actor);
  for (const { lineId, quantity } of request.lines ?? [])
    await changeQuantity(run, lineId, quantity, request.actor);
  if (request.addLines?.length && patched(ADD_LINES_PATCH))
    await addLines(run, request.addLines, request.actor);
  run.refreshStatus(undefined, request.actor);
}
