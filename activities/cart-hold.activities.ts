import { cartHoldKey } from '../src/domain/cart-hold';
import type { NodeKind } from '../src/domain/promise/promise-defaults';
import { reservationKey } from '../src/domain/order-state';
import { createStockRepository } from '../src/inventory/stock-repository';
import type { ActivityDeps } from './deps';

export interface ConvertCartHoldInput {
  holdId: string;
  orderId: string;
  lines: { lineId: string; sku: string; quantity: number }[];
}
/** Every line moved to the order's keys at the hold's node, or nothing (the order then sources normally). */
export type ConvertCartHoldResult =
  | { outcome: 'transferred'; nodeId: string; nodeType: NodeKind }
  | { outcome: 'not_held' };

/** Cart-hold activities: an order takes a hold's reserved units over. */
export function createCartHoldActivities({ collections }: ActivityDeps) {
  const stock = createStockRepository(collections);

  return {
    /**
     * Transfers each order line's reservation from the hold key to the order's key, one atomic move per
     * line: the units stay reserved and are counted once. The hold's active reservation documents say
     * which node it is at; a line not held as ordered (or a hold that expired meanwhile) releases the
     * lines already moved and answers not_held.
     */
    async convertCartHold(input: ConvertCartHoldInput): Promise<ConvertCartHoldResult> {
      const held = await collections.reservations
        .find({ key: { $regex: `^hold:${input.holdId}:` }, state: 'active' })
        .toArray();
      const nodeId = held[0]?.nodeId;
      const node = nodeId ? await collections.nodes.findOne({ _id: nodeId }) : null;
      const matches = input.lines.every((line) =>
        held.some(
          (doc) =>
            doc.key === cartHoldKey(input.holdId, line.lineId, doc.nodeId) &&
            doc.nodeId === nodeId &&
            doc.sku === line.sku &&
            doc.quantity === line.quantity,
        ),
      );
      if (!nodeId || !node || !matches) return { outcome: 'not_held' };
      const source = `order:${input.orderId}`;
      const moved: typeof input.lines = [];
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
