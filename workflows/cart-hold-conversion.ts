import { getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import type { NodeCapacityInput } from '../activities/capacity.activities';
import { cartHoldKey, cartHoldWorkflowId } from '../src/domain/cart-hold';
import type { OrderRequest } from '../src/domain/order-request';
import { singleNodePlan } from '../src/domain/sourcing/single-node-plan';
import type { SourcingResult } from '../src/domain/sourcing/sourcing-result';
import type { NodeKind } from '../src/domain/promise/promise-defaults';
import { cartHoldConvertedSignal, releaseCartHoldSignal } from './cart-hold.messages';
import { local } from './order-activity-proxies';
import { reservationFor, sourceAndReserve, type SourcingOutcome } from './reserve-sourcing-plan';

/** The single allocation of an order served entirely from its cart hold's node. */
function heldPlan(order: OrderRequest, nodeId: string, nodeType: NodeKind, at: string): SourcingResult {
  return singleNodePlan({
    nodeId,
    nodeType,
    lines: order.lines,
    day: at.slice(0, 10),
    distanceKm: 0,
    weightGrams: 0,
    costMinor: 0,
    summary: `cart hold ${order.cartHoldId ?? ''} at ${nodeId}`,
  });
}

/** The patch that plans a cart-hold order with the engine and claims its node capacity. */
export const CART_HOLD_ENGINE_PATCH = 'cart-hold-engine-plan';

/**
 * Sources an order that names a cart hold: the engine plans the order on the hold's units (true costs,
 * capacity and promised dates), the node's daily capacity is claimed, and the hold's reservations move
 * to the order's keys (one atomic move per line, so the units are never counted twice). When the hold
 * no longer covers the order (expired, released, different lines) it is sourced normally; when its node
 * cannot serve the order now (at capacity), the hold is released first so its units are sold normally too.
 */
export async function sourceFromCartHold(
  order: OrderRequest,
  holdId: string,
  now: () => string,
  onRetry: (reason: string) => void,
): Promise<SourcingOutcome> {
  if (patched(CART_HOLD_ENGINE_PATCH)) return sourceFromHoldWithEngine(order, holdId, now, onRetry);
  const decidedAt = now();
  const converted = await local.convertCartHold({
    holdId,
    orderId: order.orderId,
    lines: order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
  });
  if (converted.outcome !== 'transferred') {
    onRetry(`cart hold ${holdId} no longer covers the order`);
    return sourceAndReserve(order, now, onRetry);
  }
  await tellHoldConverted(order, holdId);
  const plan = heldPlan(order, converted.nodeId, converted.nodeType, decidedAt);
  const allocation = plan.allocations[0] as SourcingResult['allocations'][number];
  return {
    kind: 'reserved',
    plan,
    decidedAt,
    attempt: 1,
    steps: [{ kind: 'stock', reservation: reservationFor(order, allocation) }],
  };
}

const orderLines = (order: OrderRequest) =>
  order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));

async function tellHoldConverted(order: OrderRequest, holdId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(cartHoldWorkflowId(holdId)).signal(cartHoldConvertedSignal, {
      orderId: order.orderId,
    });
  } catch {
    // The hold already closed: its units were moved before it released what was left, so nothing is lost.
  }
}

/** Gives the hold's units back now (its node cannot take the order), and ends the hold. */
async function releaseHold(order: OrderRequest, holdId: string, nodeId: string): Promise<void> {
  await local.releaseReservedLines({
    orderId: holdId,
    nodeId,
    lines: order.lines.map((line) => ({
      key: cartHoldKey(holdId, line.lineId, nodeId),
      sku: line.sku,
      quantity: line.quantity,
    })),
    source: `order:${order.orderId}`,
  });
  try {
    await getExternalWorkflowHandle(cartHoldWorkflowId(holdId)).signal(releaseCartHoldSignal);
  } catch {
    // Already closed: it released what it still held.
  }
}

/** The engine plans the order on the hold's units; capacity, then the hold's units, are taken. */
async function sourceFromHoldWithEngine(
  order: OrderRequest,
  holdId: string,
  now: () => string,
  onRetry: (reason: string) => void,
): Promise<SourcingOutcome> {
  const decidedAt = now();
  const planned = await local.planCartHoldConversion({
    holdId,
    lines: orderLines(order),
    delivery: order.delivery,
    ...(order.shipComplete !== undefined ? { shipComplete: order.shipComplete } : {}),
    channel: order.channel,
    now: decidedAt,
  });
  if (planned.outcome === 'not_held') {
    onRetry(`cart hold ${holdId} no longer covers the order`);
    return sourceAndReserve(order, now, onRetry);
  }
  if (planned.outcome === 'unservable') {
    await releaseHold(order, holdId, planned.nodeId);
    onRetry(planned.reason);
    return sourceAndReserve(order, now, onRetry);
  }
  const claim: NodeCapacityInput = { nodeId: planned.nodeId, orderId: order.orderId, at: decidedAt };
  if ((await local.claimNodeCapacity(claim)) === 'full') {
    await releaseHold(order, holdId, planned.nodeId);
    onRetry(`${planned.nodeId} reached its daily order capacity`);
    return sourceAndReserve(order, now, onRetry);
  }
  const converted = await local.convertCartHold({ holdId, orderId: order.orderId, lines: orderLines(order) });
  if (converted.outcome !== 'transferred') {
    await local.releaseNodeCapacity(claim);
    onRetry(`cart hold ${holdId} no longer covers the order`);
    return sourceAndReserve(order, now, onRetry);
  }
  await tellHoldConverted(order, holdId);
  const { plan } = planned;
  return {
    kind: 'reserved',
    plan,
    decidedAt,
    attempt: 1,
    steps: [
      { kind: 'capacity', claim },
      ...plan.allocations.map((allocation) => ({
        kind: 'stock' as const,
        reservation: reservationFor(order, allocation),
      })),
    ],
  };
}
