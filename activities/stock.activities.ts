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
  /** Who the ledger names as the source; `order:<orderId>` when absent. */
  source?: string;
}

/** Stock activities: reserve, release and ship the order's units at one node. */
export function createStockActivities({ collections }: ActivityDeps) {
  const stock = createStockRepository(collections);
  const sourceOf = (input: Pick<NodeReservationInput, 'orderId' | 'source'>): string =>
    input.source ?? `order:${input.orderId}`;

  /** Releases the lines in reverse order (a saga compensation); answers how many were still reserved. */
  async function releaseLines(input: NodeReservationInput): Promise<number> {
    let released = 0;
    for (const line of [...input.lines].reverse()) {
      const outcome = await stock.release({
        key: line.key,
        sku: line.sku,
        nodeId: input.nodeId,
        source: sourceOf(input),
      });
      if (outcome === 'released') released++;
    }
    return released;
  }
  async function releaseOrderAtNode(input: NodeReservationInput): Promise<void> {
    await releaseLines(input); // releasing a key never reserved is a no-op
  }

  return {
    /** Reserves every line at the node, or none: a line that cannot be had releases the ones before it. */
    async reserveOrderAtNode(input: NodeReservationInput): Promise<'reserved' | 'insufficient'> {
      const taken: ReservationLine[] = [];
      for (const line of input.lines) {
        const outcome = await stock.reserve({
          ...line,
          nodeId: input.nodeId,
          source: sourceOf(input),
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

    /** Releases what is still reserved under the lines' keys; answers how many lines that was. */
    releaseReservedLines: releaseLines,

    /** The parcel left the node: its reserved units leave the stock. */
    async consumeOrderAtNode(input: NodeReservationInput): Promise<void> {
      for (const line of input.lines) {
        await stock.consume({ key: line.key, sku: line.sku, nodeId: input.nodeId, source: sourceOf(input) });
      }
    },
  };
}
