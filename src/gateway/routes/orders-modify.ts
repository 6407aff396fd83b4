import { z } from 'zod';
import { Address, Identifier } from '../../domain/order-request';
import { modifyOrderUpdate } from '../../../workflows/order.messages';
import { OrderIdParams } from '../order-requests';
import { defineRoute } from '../route';
import { runOrderUpdate } from '../run-order-update';
import { OrderViewSchema } from '../schemas/order-view.schema';

export const ModifyOrderBody = z
  .object({
    address: Address.optional().describe('New delivery address; only before any parcel has shipped'),
    lines: z
      .array(
        z
          .object({
            lineId: Identifier,
            quantity: z.number().int().min(0).max(10_000).describe('0 removes the line'),
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, 'lineIds must be unique')
      .optional()
      .describe('New quantities; only before that line ships'),
  })
  .strict()
  .refine(
    (body) => body.address !== undefined || body.lines !== undefined,
    'name an address or lines to change',
  );

/** `PATCH /v1/orders/{orderId}`: an agent's change, applied (or refused) by the order workflow itself. */
export const modifyOrderRoute = defineRoute({
  method: 'patch',
  path: '/v1/orders/{orderId}',
  operationId: 'modifyOrder',
  tag: 'Orders',
  summary: 'Change the address or line quantities of an order',
  description:
    'A validated Temporal Update: an address change before any shipment; a quantity change before that line ' +
    'ships (more units are reserved and authorised, fewer are released and voided; 0 removes the line). ' +
    '409 when the state forbids it or the stock is not there, 422 when the request is invalid.',
  roles: ['agent', 'admin'],
  params: OrderIdParams,
  body: ModifyOrderBody,
  idempotencyKey: true,
  responses: {
    200: { description: 'The order after the change', schema: OrderViewSchema },
    404: { description: 'No such order' },
    409: { description: 'The state forbids it (already shipped, closed) or not enough stock' },
    422: { description: 'The request is invalid (unknown line, pickup order given an address…)' },
    503: { description: 'The order workflow did not answer in time' },
  },
  async handle({ params, body, principal, deps }) {
    const view = await runOrderUpdate(deps, params.orderId, modifyOrderUpdate, {
      ...(body.address ? { address: body.address } : {}),
      ...(body.lines ? { lines: body.lines } : {}),
      actor: `${principal.role}:${principal.keyLabel}`,
    });
    return { status: 200, body: view };
  },
});
