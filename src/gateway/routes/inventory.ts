import { z } from 'zod';
import { Identifier } from '../../domain/order-request';
import { NotFoundError } from '../../errors';
import { createStockRepository } from '../../inventory/stock-repository';
import type { GatewayDeps } from '../deps';
import { movementKeyOf } from '../movement-key';
import { defineRoute, type Principal } from '../route';

const Count = z.number().int().min(0).max(10_000_000);

export const SetCountBody = z.object({ onHand: Count, safetyStock: Count.optional() }).strict();

export const AdjustmentBody = z
  .object({
    sku: Identifier,
    nodeId: Identifier,
    delta: z
      .number()
      .int()
      .min(-10_000_000)
      .max(10_000_000)
      .refine((delta) => delta !== 0, 'a change of 0 changes nothing'),
    reason: z.string().min(1).max(200),
  })
  .strict();

export const InventoryRecordView = z
  .object({
    sku: z.string(),
    nodeId: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    safetyStock: z.number().int(),
    available: z.number().int().describe('onHand - reserved - safetyStock - held: what any caller may sell'),
    held: z
      .number()
      .int()
      .optional()
      .describe('units held for channels or segments (present when any is held)'),
    holds: z
      .array(
        z
          .object({
            pool: z.string().describe('channel:<id> or segment:<id>'),
            quantity: z.number().int().describe('units held for this pool, not yet reserved'),
            available: z
              .number()
              .int()
              .describe('what this pool may sell here: its hold + general available'),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export const StockParams = z.object({ sku: Identifier, nodeId: Identifier }).strict();

/** Who made a stock movement, for the ledger. */
export const sourceOf = (principal: Principal): string => `${principal.role}:${principal.keyLabel}`;

/** Stock can only be recorded for a node and a product that exist, so a typo is not silently stocked. */
export async function assertKnown(deps: GatewayDeps, sku: string, nodeId: string): Promise<void> {
  const [node, product] = await Promise.all([
    deps.collections.nodes.findOne({ _id: nodeId }, { projection: { _id: 1 } }),
    deps.collections.products.findOne({ _id: sku }, { projection: { _id: 1 } }),
  ]);
  if (!node)
    throw new NotFoundError(`Node ${nodeId} does not exist; create it with PUT /v1/nodes/${nodeId}.`);
  if (!product)
    throw new NotFoundError(`Product ${sku} does not exist; create it with PUT /v1/products/${sku}.`);
}

/** `PUT /v1/inventory/{sku}/{nodeId}`: an absolute count (cycle count). */
export const setStockCountRoute = defineRoute({
  method: 'put',
  path: '/v1/inventory/{sku}/{nodeId}',
  operationId: 'setStockCount',
  tag: 'Inventory',
  summary: 'Record an absolute count (cycle count)',
  description:
    'Refused with 409 when the count is below the units already reserved for orders plus those held for ' +
    'channels or segments. With an `Idempotency-Key`, a repeat of the same count is recorded once.',
  roles: ['admin'],
  params: StockParams,
  body: SetCountBody,
  responses: {
    200: { description: 'The stock record', schema: InventoryRecordView },
    404: { description: 'Unknown node or product' },
    409: { description: 'The count is below what is reserved' },
  },
  async handle({ params, body, principal, deps, req }) {
    await assertKnown(deps, params.sku, params.nodeId);
    const movementKey = movementKeyOf(req, principal, `count:${params.sku}@${params.nodeId}`);
    const record = await createStockRepository(deps.collections).setCount({
      ...params,
      ...body,
      source: sourceOf(principal),
      ...(movementKey ? { movementKey } : {}),
    });
    return { status: 200, body: record };
  },
});

/** `GET /v1/inventory/{sku}/{nodeId}`: the stock record. */
export const readStockRoute = defineRoute({
  method: 'get',
  path: '/v1/inventory/{sku}/{nodeId}',
  operationId: 'getStock',
  tag: 'Inventory',
  summary: 'Read the stock of a SKU at a node',
  roles: ['admin'],
  params: StockParams,
  responses: {
    200: { description: 'The stock record', schema: InventoryRecordView },
    404: { description: 'No stock record for this SKU at this node' },
  },
  async handle({ params, deps }) {
    const record = await createStockRepository(deps.collections).getRecord(params.sku, params.nodeId);
    if (!record) throw new NotFoundError(`No stock record for ${params.sku} at ${params.nodeId}.`);
    return { status: 200, body: record };
  },
});

/** `POST /v1/inventory/adjustments`: a relative change with a reason. */
export const adjustStockRoute = defineRoute({
  method: 'post',
  path: '/v1/inventory/adjustments',
  operationId: 'adjustStock',
  tag: 'Inventory',
  summary: 'Adjust stock by a relative amount',
  description:
    'Send an `Idempotency-Key` so a retried adjustment is applied once: the same key and body replay ' +
    'the first answer, and the ledger line takes its id from the key (a retry after a crash counts once).',
  roles: ['admin'],
  body: AdjustmentBody,
  idempotencyKey: true,
  responses: {
    200: { description: 'The stock record after the change', schema: InventoryRecordView },
    404: { description: 'Unknown node or product, or a decrement of stock never recorded' },
    409: { description: 'The change would take on-hand below zero or below what is reserved' },
  },
  async handle({ body, principal, deps, req }) {
    await assertKnown(deps, body.sku, body.nodeId);
    const movementKey = movementKeyOf(req, principal, 'adjustment');
    const record = await createStockRepository(deps.collections).adjust({
      ...body,
      source: sourceOf(principal),
      ...(movementKey ? { movementKey } : {}),
    });
    return { status: 200, body: record };
  },
});
