import { createStockRepository, type PoolCaller } from '../src/inventory/stock-repository';
import type { ActivityDeps } from './deps';

/** One order line at one node, with the reservation key the workflow derived for it. */
export interface ReservationLine {
  key: string;
  sku: string;
  quantity: number;
}
export interface NodeReservationInput {
  orderId: string;
  nodeId: string;
  lines: ReservationLine[];
  /** The order's channel: units held for it are taken first (as availability showed them to the order). */
  pool?: PoolCaller;
}

/** Stock activities: reserve, release and ship the order's units at one node. */
export function createStockActivities({ collections }: ActivityDeps) {
  const stock = createStockRepository(collections);
  const source = (orderId: string): string => `order:${orderId}`;

  async function releaseOrderAtNode({ orderId, nodeId, lines }: NodeReservationInput): Promise<void> {
    // Reverse order, like any saga compensation; releasing a key never reserved is a no-op.
    for (const line of [...lines].reverse()) {
      await stock.release({ key: line.key, sku: line.sku, nodeId, source: source(orderId) });
    }
  }

  return {
    /** Reserves every line at the node, or none: a line that cannot be had releases the ones before it. */
    async reserveOrderAtNode(input: NodeReservationInput): Promise<'reserved' | 'insufficient'> {
      const taken: ReservationLine[] = [];
      for (const line of input.lines) {
        const outcome = await stock.reserve({
          ...line,
          nodeId: input.nodeId,
          source: source(input.orderId),
          ...(input.pool ? { pool: input.pool } : {}),
        });
        if (outcome === 'insufficient') {
          await releaseOrderAtNode({ ...input, lines: taken });
          return 'insufficient';
        }
        taken.push(line);
      }
      return 'reserved';
    },

    releaseOrderAtNode,

    /** The parcel left the node: its reserved units leave the stock. */
    async consumeOrderAtNode({ orderId, nodeId, lines }: NodeReservationInput): Promise<void> {
      for (const line of lines) {
        await stock.consume({ key: line.key, sku: line.sku, nodeId, source: source(orderId) });
      }
    },
  };
}
