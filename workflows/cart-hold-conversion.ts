import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { cartHoldWorkflowId } from '../src/domain/cart-hold';
import type { OrderRequest } from '../src/domain/order-request';
import { singleNodePlan } from '../src/domain/sourcing/single-node-plan';
import type { SourcingResult } from '../src/domain/sourcing/sourcing-result';
import type { NodeKind } from '../src/domain/promise/promise-defaults';
import { cartHoldConvertedSignal } from './cart-hold.messages';
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

/**
 * Sources an order that names a cart hold: the hold's reservations move to the order's keys (one atomic
 * move per line, so the units are never counted twice) and the hold's node is the single allocation;
 * when the hold no longer covers the order (expired, released, different lines) it is sourced normally.
 */
export async function sourceFromCartHold(
  order: OrderRequest,
  holdId: string,
  now: () => string,
  onRetry: (reason: string) => void,
): Promise<SourcingOutcome> {
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
  try {
    await getExternalWorkflowHandle(cartHoldWorkflowId(holdId)).signal(cartHoldConvertedSignal, {
      orderId: order.orderId,
    });
  } catch {
    // The hold already closed: its units were moved before it released what was left, so nothing is lost.
  }
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
