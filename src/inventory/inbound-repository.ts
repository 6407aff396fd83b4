import { randomUUID } from 'node:crypto';
import type { Collections } from '../db/collections';
import type { InboundDoc, InboundStatus } from '../db/documents';
import { ValidationError } from '../errors';
import { readSkuDirectory, addToSkuDirectory } from './sku-directory';
import { assertPositive } from './stock-records';

export interface CreateInboundInput {
  sku: string;
  nodeId: string;
  quantity: number;
  /** ISO 8601; stored in UTC. */
  expectedAt: string;
  source: string;
}

/** Supply on its way, as the API shows it. */
export interface InboundView {
  inboundId: string;
  sku: string;
  nodeId: string;
  quantity: number;
  expectedAt: string;
  receivedQuantity: number;
  status: InboundStatus;
}

/** The earliest supply still expected for a SKU, overall and per node. */
export interface NextInbound {
  /** Units still to come at the earliest date (summed over the shipments due then). */
  quantity: number;
  expectedAt: string;
  nodes: { nodeId: string; quantity: number; expectedAt: string }[];
}

export const toInboundView = (doc: InboundDoc): InboundView => ({
  inboundId: doc._id,
  sku: doc.sku,
  nodeId: doc.nodeId,
  quantity: doc.quantity,
  expectedAt: doc.expectedAt,
  receivedQuantity: doc.receivedQuantity,
  status: doc.status,
});

function toUtc(expectedAt: string): string {
  const time = Date.parse(expectedAt);
  if (Number.isNaN(time)) {
    throw new ValidationError('expectedAt must be an ISO 8601 timestamp', [
      { path: 'expectedAt', message: 'ISO 8601 timestamp' },
    ]);
  }
  return new Date(time).toISOString();
}

/** Records supply on its way to a node; answers it with a new inboundId. */
export async function createInbound(c: Collections, input: CreateInboundInput): Promise<InboundView> {
  assertPositive('quantity', input.quantity);
  const now = new Date().toISOString();
  const doc: InboundDoc = {
    _id: `IN-${randomUUID()}`,
    sku: input.sku,
    nodeId: input.nodeId,
    quantity: input.quantity,
    expectedAt: toUtc(input.expectedAt),
    receivedQuantity: 0,
    status: 'expected',
    receipts: [],
    appliedSeq: 0,
    source: input.source,
    createdAt: now,
    updatedAt: now,
  };
  await addToSkuDirectory(c, doc.sku, 'inboundIds', doc._id); // listed first: supply reads never miss it
  await c.inbound.insertOne(doc);
  return toInboundView(doc);
}

export async function readInbound(c: Collections, inboundId: string): Promise<InboundView | null> {
  const doc = await c.inbound.findOne({ _id: inboundId });
  return doc ? toInboundView(doc) : null;
}

/** The inbound documents of some SKUs, by `_id` through the SKU directory. */
async function readInboundOf(c: Collections, skus: readonly string[]): Promise<InboundDoc[]> {
  const ids = [...(await readSkuDirectory(c, skus, 'inboundIds')).values()].flat();
  return ids.length > 0 ? c.inbound.find({ _id: { $in: ids } }).toArray() : [];
}

/** Inbound supply, earliest expected first; filtered by SKU (an `_id` read) and/or node. */
export async function listInbound(
  c: Collections,
  filter: { sku?: string; nodeId?: string } = {},
): Promise<InboundView[]> {
  const docs =
    filter.sku !== undefined
      ? await readInboundOf(c, [filter.sku])
      : await c.inbound.find(filter.nodeId !== undefined ? { nodeId: filter.nodeId } : {}).toArray();
  return docs
    .filter((doc) => filter.nodeId === undefined || doc.nodeId === filter.nodeId)
    .sort((a, b) => a.expectedAt.localeCompare(b.expectedAt) || a._id.localeCompare(b._id))
    .map(toInboundView);
}

/**
 * Per SKU, the earliest supply not yet fully received, with the units still to come, and the same per node.
 * `_id` lookups only: the SKU directory lists each SKU's shipments.
 */
export async function nextInbound(c: Collections, skus: string[]): Promise<Map<string, NextInbound>> {
  const result = new Map<string, NextInbound>();
  if (skus.length === 0) return result;
  const open = (await readInboundOf(c, skus)).filter((doc) => doc.status !== 'received');
  for (const sku of skus) {
    const byNode = new Map<string, { nodeId: string; quantity: number; expectedAt: string }>();
    for (const doc of open.filter((d) => d.sku === sku)) {
      const remaining = doc.quantity - doc.receivedQuantity;
      if (remaining <= 0) continue;
      const earliest = byNode.get(doc.nodeId);
      if (!earliest || doc.expectedAt < earliest.expectedAt) {
        byNode.set(doc.nodeId, { nodeId: doc.nodeId, quantity: remaining, expectedAt: doc.expectedAt });
      } else if (doc.expectedAt === earliest.expectedAt) earliest.quantity += remaining;
    }
    const nodes = [...byNode.values()].sort(
      (a, b) => a.expectedAt.localeCompare(b.expectedAt) || a.nodeId.localeCompare(b.nodeId),
    );
    const first = nodes[0];
    if (!first) continue;
    const quantity = nodes
      .filter((node) => node.expectedAt === first.expectedAt)
      .reduce((sum, node) => sum + node.quantity, 0);
    result.set(sku, { quantity, expectedAt: first.expectedAt, nodes });
  }
  return result;
}
