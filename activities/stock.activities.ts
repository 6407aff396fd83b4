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

/** One reservation whose quantity changes: `line.quantity` is the NEW total (0 releases it). */
export interface AdjustReservedLineInput {
  orderId: string;
  nodeId: string;
  line: ReservationLine;
  /** Who the ledger names as the source; `order:<orderId>` when absent. */
  source?: string;
  /** The order's channel/segment for raising; the holds the reservation already took from when absent. */
  pool?: PoolCaller;
}
/** Lines a node could not find on its shelf. */
export interface WriteOffMissingStockInput {
  orderId: string;
  nodeId: string;
  lines: ReservationLine[];
  /** Why, as the node said it (goes to the ledger). */
  reason: string;
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

    /**
     * Changes a live reservation's quantity in place: lowering always succeeds, raising only when the
     * extra units are available to the order; asking again for the same quantity changes nothing.
     */
    adjustReservedLine(
      input: AdjustReservedLineInput,
    ): Promise<'adjusted' | 'insufficient' | 'not_reserved'> {
      return stock.adjustReservation({
        key: input.line.key,
        sku: input.line.sku,
        nodeId: input.nodeId,
        quantity: input.line.quantity,
        source: sourceOf(input),
        ...(input.pool ? { pool: input.pool } : {}),
      });
    },

    /**
     * The node rejected a fulfilment because the stock is not on the shelf: each line's reservation is
     * released and on-hand drops by its units, once (a retry finds the reservations gone and does nothing).
     */
    async writeOffMissingStock(input: WriteOffMissingStockInput): Promise<void> {
      for (const line of input.lines) {
        await stock.writeOff({
          key: line.key,
          sku: line.sku,
          nodeId: input.nodeId,
          quantity: line.quantity,
          reason: input.reason,
          source: `order:${input.orderId}`,
        });
      }
    },

    /** The parcel left the node: its reserved units leave the stock. */
    async consumeOrderAtNode(input: NodeReservationInput): Promise<void> {
      for (const line of input.lines) {
        await stock.consume({ key: line.key, sku: line.sku, nodeId: input.nodeId, source: sourceOf(input) });
      }
    },
  };
}
