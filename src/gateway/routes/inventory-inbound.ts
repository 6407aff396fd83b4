import { z } from 'zod';
import { Identifier } from '../../domain/order-request';
import { createInbound, listInbound } from '../../inventory/inbound-repository';
import { receiveInbound } from '../../inventory/receive-inbound';
import { createTemporalStockNotifier } from '../../inventory/stock-waiters';
import { movementKeyOf } from '../movement-key';
import { defineRoute } from '../route';
import { assertKnown, sourceOf } from './inventory';

export const InboundBody = z
  .object({
    sku: Identifier,
    nodeId: Identifier,
    quantity: z.number().int().positive().max(10_000_000),
    expectedAt: z.iso.datetime({ offset: true }).describe('ISO 8601; answered in UTC'),
  })
  .strict();

export const InboundView = z
  .object({
    inboundId: z.string(),
    sku: z.string(),
    nodeId: z.string(),
    quantity: z.number().int(),
    expectedAt: z.string(),
    receivedQuantity: z.number().int(),
    status: z.enum(['expected', 'partially_received', 'received']),
  })
  .strict();

export const InboundListQuery = z
  .object({ sku: Identifier.optional(), nodeId: Identifier.optional() })
  .strict();
export const InboundParams = z.object({ inboundId: Identifier }).strict();
export const ReceiveBody = z
  .object({
    quantity: z
      .number()
      .int()
      .positive()
      .max(10_000_000)
      .optional()
      .describe('units received now; everything still expected when absent'),
  })
  .strict();

export const ReceiptView = InboundView.extend({
  receipt: z.object({ seq: z.number().int(), quantity: z.number().int() }).strict(),
  waitersNotified: z.number().int().describe('orders waiting on the SKU that were told stock arrived'),
}).strict();

/** `POST /v1/inventory/inbound`: supply on its way to a node. */
export const createInboundRoute = defineRoute({
  method: 'post',
  path: '/v1/inventory/inbound',
  operationId: 'createInbound',
  tag: 'Inventory',
  summary: 'Record incoming supply',
  description: 'Send an `Idempotency-Key` so a retried request records the supply once.',
  roles: ['admin'],
  body: InboundBody,
  idempotencyKey: true,
  responses: {
    201: { description: 'The inbound supply', schema: InboundView },
    404: { description: 'Unknown node or product' },
  },
  async handle({ body, principal, deps }) {
    await assertKnown(deps, body.sku, body.nodeId);
    const inbound = await createInbound(deps.collections, { ...body, source: sourceOf(principal) });
    return { status: 201, body: inbound };
  },
});

/** `GET /v1/inventory/inbound?sku=&nodeId=`: supply on its way, earliest first. */
export const listInboundRoute = defineRoute({
  method: 'get',
  path: '/v1/inventory/inbound',
  operationId: 'listInbound',
  tag: 'Inventory',
  summary: 'List incoming supply',
  roles: ['admin'],
  query: InboundListQuery,
  responses: { 200: { description: 'Inbound supply', schema: z.object({ items: z.array(InboundView) }) } },
  async handle({ query, deps }) {
    return { status: 200, body: { items: await listInbound(deps.collections, query) } };
  },
});

/** `POST /v1/inventory/inbound/{inboundId}/receive`: supply arrived; it becomes on-hand stock. */
export const receiveInboundRoute = defineRoute({
  method: 'post',
  path: '/v1/inventory/inbound/{inboundId}/receive',
  operationId: 'receiveInbound',
  tag: 'Inventory',
  summary: 'Receive incoming supply',
  description:
    'Moves the units to on-hand stock (partial receipts allowed, all that is still expected when `quantity` ' +
    'is absent) and signals `stockArrived` to every order waiting on the SKU. With an `Idempotency-Key`, a ' +
    'retry never counts the receipt twice, even after a crash.',
  roles: ['admin'],
  params: InboundParams,
  body: ReceiveBody,
  bodyOptional: true,
  idempotencyKey: true,
  responses: {
    200: { description: 'The inbound supply after the receipt', schema: ReceiptView },
    404: { description: 'No such inbound supply' },
    409: { description: 'More than is still expected, or already received in full' },
  },
  async handle({ params, body, principal, deps, req, log }) {
    const requestKey = movementKeyOf(req, principal, `receive:${params.inboundId}`);
    const result = await receiveInbound(
      deps.collections,
      {
        inboundId: params.inboundId,
        ...(body.quantity !== undefined ? { quantity: body.quantity } : {}),
        source: sourceOf(principal),
        ...(requestKey ? { requestKey } : {}),
      },
      createTemporalStockNotifier(deps.temporal),
    );
    if (result.waiters.failed > 0) {
      log.warn({ inboundId: params.inboundId, waiters: result.waiters }, 'some waiting orders were not told');
    }
    return {
      status: 200,
      body: { ...result.inbound, receipt: result.receipt, waitersNotified: result.waiters.notified },
    };
  },
});
