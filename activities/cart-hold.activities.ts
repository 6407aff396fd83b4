import { cartHoldKey } from '../src/domain/cart-hold';
import type { NodeKind } from '../src/domain/promise/promise-defaults';
import { reservationKey } from '../src/domain/order-state';
import { sourceOrder } from '../src/domain/sourcing/source-order';
import type { SourcingResult } from '../src/domain/sourcing/sourcing-result';
import { findHoldAtNode, findLinesAtNode, type HeldLine } from '../src/inventory/held-reservations';
import { createStockRepository } from '../src/inventory/stock-repository';
import { readHeldSnapshot, requestOnSnapshot } from '../src/sourcing-snapshot/network-snapshot';
import type { ActivityDeps } from './deps';
import { toDeliveryToSource, type PlanSourcingInput } from './sourcing.activities';

export interface ConvertCartHoldInput {
  holdId: string;
  orderId: string;
  lines: HeldLine[];
}
/** Every line moved to the order's keys at the hold's node, or nothing (the order then sources normally). */
export type ConvertCartHoldResult =
  | { outcome: 'transferred'; nodeId: string; nodeType: NodeKind }
  | { outcome: 'not_held' };

/** An order naming a cart hold, planned before it takes the hold over. */
export interface PlanCartHoldInput extends PlanSourcingInput {
  holdId: string;
}
/**
 * `held`: the engine's plan serves the whole order from the hold's node (true distance, cost, capacity and
 * promised dates); `unservable`: the hold covers the order but its node cannot serve it now (at capacity,
 * no such capability); `not_held`: the hold does not (or no longer) cover the order.
 */
export type PlanCartHoldResult =
  | { outcome: 'held'; nodeId: string; plan: SourcingResult }
  | { outcome: 'unservable'; nodeId: string; reason: string }
  | { outcome: 'not_held' };

const heldUnits = (lines: readonly HeldLine[]): Record<string, number> => {
  const units: Record<string, number> = {};
  for (const line of lines) units[line.sku] = (units[line.sku] ?? 0) + line.quantity;
  return units;
};

/** Cart-hold activities: an order plans on a hold's reserved units, then takes them over. */
export function createCartHoldActivities({ collections }: ActivityDeps) {
  const stock = createStockRepository(collections);

  return {
    /**
     * Plans the order with the sourcing engine on the real network, counting only the units the hold
     * reserves at its node: the plan, its decision record and promised dates are the engine's own.
     */
    async planCartHoldConversion(input: PlanCartHoldInput): Promise<PlanCartHoldResult> {
      const hold = await findHoldAtNode(collections, input.holdId, input.lines);
      if (!hold) return { outcome: 'not_held' };
      const snapshot = await readHeldSnapshot(
        collections,
        { skus: input.lines.map((line) => line.sku), now: input.now },
        { nodeId: hold.nodeId, units: heldUnits(input.lines) },
      );
      const plan = sourceOrder({
        ...requestOnSnapshot(snapshot, input),
        delivery: toDeliveryToSource(input.delivery),
      });
      const prefix = `cart hold ${input.holdId} at ${hold.nodeId}`;
      const servesAll =
        plan.totals.allocatedUnits === plan.totals.units &&
        plan.allocations.every((a) => a.nodeId === hold.nodeId && !a.waitsForInbound);
      if (!servesAll) {
        return { outcome: 'unservable', nodeId: hold.nodeId, reason: `${prefix}: ${plan.decision.summary}` };
      }
      const decision = { ...plan.decision, summary: `${prefix}: ${plan.decision.summary}` };
      return { outcome: 'held', nodeId: hold.nodeId, plan: { ...plan, decision } };
    },

    /**
     * Transfers each order line's reservation from the hold key to the order's key, one atomic move per
     * line: the units stay reserved and are counted once. The hold's reservation documents, found by
     * `_id`, say which node it is at; a line not held as ordered (or a hold that expired meanwhile)
     * releases the lines already moved and answers not_held. A retry after every line moved answers
     * transferred again.
     */
    async convertCartHold(input: ConvertCartHoldInput): Promise<ConvertCartHoldResult> {
      // A retry after the lines moved finds them under the order's keys (each transfer then answers so).
      const hold =
        (await findHoldAtNode(collections, input.holdId, input.lines)) ??
        (await findLinesAtNode(collections, input.lines, (line, nodeId) =>
          reservationKey(input.orderId, line.lineId, nodeId),
        ));
      const node = hold ? await collections.nodes.findOne({ _id: hold.nodeId }) : null;
      if (!hold || !node) return { outcome: 'not_held' };
      const { nodeId } = hold;
      const source = `order:${input.orderId}`;
      const moved: HeldLine[] = [];
      for (const line of input.lines) {
        const outcome = await stock.transferReservation({
          fromKey: cartHoldKey(input.holdId, line.lineId, nodeId),
          toKey: reservationKey(input.orderId, line.lineId, nodeId),
          sku: line.sku,
          nodeId,
          source,
        });
        if (outcome === 'not_found') {
          for (const done of moved.reverse()) {
            const key = reservationKey(input.orderId, done.lineId, nodeId);
            await stock.release({ key, sku: done.sku, nodeId, source });
          }
          return { outcome: 'not_held' };
        }
        moved.push(line);
      }
      return { outcome: 'transferred', nodeId, nodeType: node.type as NodeKind };
    },
  };
}
