import { z } from 'zod';
import { Identifier } from '../../domain/order-request';
import { POOL_PATTERN } from '../../inventory/holds';
import { createStockRepository } from '../../inventory/stock-repository';
import { defineRoute } from '../route';
import { InventoryRecordView, sourceOf } from './inventory';

export const HoldParams = z
  .object({
    sku: Identifier,
    nodeId: Identifier,
    pool: z
      .string()
      .regex(POOL_PATTERN, 'channel:<id> or segment:<id>, e.g. channel:marketplace or segment:vip')
      .describe('who the units are held for: channel:<id> or segment:<id>'),
  })
  .strict();

export const HoldBody = z
  .object({
    quantity: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .describe('units held for the pool from now on, on top of what it already reserved'),
  })
  .strict();

/** `PUT /v1/inventory/{sku}/{nodeId}/holds/{pool}`: hold units for a channel or a customer segment. */
export const setHoldRoute = defineRoute({
  method: 'put',
  path: '/v1/inventory/{sku}/{nodeId}/holds/{pool}',
  operationId: 'setStockHold',
  tag: 'Inventory',
  summary: 'Hold stock for a channel or a customer segment',
  description:
    'Sets how many units of the SKU at the node only this pool may sell. Raising it takes units from general ' +
    'availability atomically (409 when not enough are available); lowering it gives them back. Reservations ' +
    'of the pool take from its hold first, and a release gives units back to the hold while it exists.',
  roles: ['admin'],
  params: HoldParams,
  body: HoldBody,
  responses: {
    200: { description: 'The stock record with its holds', schema: InventoryRecordView },
    404: { description: 'No stock record for this SKU at this node' },
    409: { description: 'Not enough available units to hold' },
  },
  async handle({ params, body, principal, deps }) {
    const record = await createStockRepository(deps.collections).setHold({
      ...params,
      quantity: body.quantity,
      source: sourceOf(principal),
    });
    return { status: 200, body: record };
  },
});

/** `DELETE /v1/inventory/{sku}/{nodeId}/holds/{pool}`: end a hold, its units back to general availability. */
export const releaseHoldRoute = defineRoute({
  method: 'delete',
  path: '/v1/inventory/{sku}/{nodeId}/holds/{pool}',
  operationId: 'releaseStockHold',
  tag: 'Inventory',
  summary: 'Release a hold',
  description:
    'The units still held go back to general availability; units the pool already reserved stay reserved ' +
    'and return to general availability when released.',
  roles: ['admin'],
  params: HoldParams,
  responses: {
    200: { description: 'The stock record after the release', schema: InventoryRecordView },
    404: { description: 'No stock record, or no hold for this pool' },
  },
  async handle({ params, principal, deps }) {
    const record = await createStockRepository(deps.collections).releaseHold({
      ...params,
      source: sourceOf(principal),
    });
    return { status: 200, body: record };
  },
});
