import type { Collections } from '../db/collections';
import { reservationDocId, type ReservationDoc } from '../db/documents';
import { cartHoldKey } from '../domain/cart-hold';

/** A line an order wants to take over from a cart hold. */
export interface HeldLine {
  lineId: string;
  sku: string;
  quantity: number;
}

/** The node holding every line, and the live reservation documents there (one per line). */
export interface LinesAtNode {
  nodeId: string;
  reservations: ReservationDoc[];
}

// Plain `_id` filters only: the dev server uses its index for nothing else (see DESIGN.md).
const activeById = async (c: Collections, ids: string[]): Promise<ReservationDoc[]> =>
  (await c.reservations.find({ _id: { $in: ids } }).toArray()).filter((doc) => doc.state === 'active');

/**
 * Finds the node where every line is reserved exactly as given under `keyAt(line, nodeId)`, by `_id`
 * lookups only: the SKU directory lists the nodes of the first line's SKU, its key names the candidate
 * documents, and the node found names every other line's document. Null when the lines are not all there.
 */
export async function findLinesAtNode(
  c: Collections,
  lines: readonly HeldLine[],
  keyAt: (line: HeldLine, nodeId: string) => string,
): Promise<LinesAtNode | null> {
  const [first] = lines;
  if (!first) return null;
  const directory = await c.skuNodes.findOne({ _id: first.sku });
  const candidates = (directory?.nodeIds ?? []).map((nodeId) =>
    reservationDocId(first.sku, nodeId, keyAt(first, nodeId)),
  );
  const [found] = candidates.length > 0 ? await activeById(c, candidates) : [];
  if (!found) return null;
  const { nodeId } = found;
  const ids = lines.map((line) => reservationDocId(line.sku, nodeId, keyAt(line, nodeId)));
  const byId = new Map((await activeById(c, ids)).map((doc) => [doc._id, doc]));
  const reservations = lines.map((line, index) => byId.get(ids[index] as string));
  const covers = reservations.every(
    (doc, index) => doc && doc.sku === lines[index]?.sku && doc.quantity === lines[index]?.quantity,
  );
  return covers ? { nodeId, reservations: reservations as ReservationDoc[] } : null;
}

/** The node where cart hold `holdId` reserves every line as ordered, or null. */
export const findHoldAtNode = (
  c: Collections,
  holdId: string,
  lines: readonly HeldLine[],
): Promise<LinesAtNode | null> =>
  findLinesAtNode(c, lines, (line, nodeId) => cartHoldKey(holdId, line.lineId, nodeId));
