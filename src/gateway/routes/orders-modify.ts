import { z } from 'zod';
import { Address, Identifier, MinorUnits, PositiveQuantity } from '../../domain/order-request';
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
    addLines: z
      .array(
        z
          .object({
            lineId: Identifier.optional().describe('The new line id; the order names it (L<n>) when absent'),
            sku: Identifier,
            quantity: PositiveQuantity,
            unitPriceMinor: MinorUnits,
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .refine((lines) => {
        const ids = lines.flatMap((l) => (l.lineId === undefined ? [] : [l.lineId]));
        return new Set(ids).size === ids.length;
      }, 'lineIds must be unique')
      .optional()
      .describe('New lines, priced like POST /v1/orders lines; reserved now (409 insufficient-stock if not)'),
    speed: z
      .enum(['standard', 'express'])
      .optional()
      .describe('New delivery speed for what has not shipped (ship orders only)'),
  })
  .strict()
  .refine(
    (body) =>
      body.address !== undefined ||
      body.lines !== undefined ||
      body.addLines !== undefined ||
      body.speed !== undefined,
    'name an address, lines, addLines or a speed to change',
  );
export type ModifyOrderBody = z.infer<typeof ModifyOrderBody>;

/** `PATCH /v1/orders/{orderId}`: an agent's change, applied (or refused) by the order workflow itself. */
export const modifyOrderRoute = defineRoute({
  method: 'patch',
  path: '/v1/orders/{orderId}',
  operationId: 'modifyOrder',
  tag: 'Orders',
  summary: 'Change the address, line quantities, lines or delivery speed of an order',
  description:
    'A validated Temporal Update: an address change before any shipment (a parcel still at its node is ' +
    'sent from another node when that one promises it sooner); a quantity change before that line ships ' +
    '(more units are reserved and authorised, fewer are released and voided; 0 removes the line); added ' +
    'lines (reserved now and authorised on top; not on ship-complete orders); a delivery speed change ' +
    '(standard or express, ship orders; express is refused while units wait for inbound supply). ' +
    '409 when the state forbids it (`not-allowed-in-state`) or the stock is not there ' +
    '(`insufficient-stock`), 422 when the request is invalid.',
  roles: ['agent', 'admin'],
  params: OrderIdParams,
  body: ModifyOrderBody,
  idempotencyKey: true,
  responses: {
    200: { description: 'The order after the change', schema: OrderViewSchema },
    404: { description: 'No such order' },
    409: {
      description:
        'The state forbids it (already shipped, closed, ship-complete, express while units wait for supply) or not enough stock',
    },
    422: {
      description:
        'The request is invalid (unknown line, line id taken, pickup order given an address or speed…)',
    },
    503: { description: 'The order workflow did not answer in time' },
  },
  async handle({ params, body, principal, deps }) {
    const view = await runOrderUpdate(deps, params.orderId, modifyOrderUpdate, {
      ...(body.address ? { address: body.address } : {}),
      ...(body.lines ? { lines: body.lines } : {}),
      ...(body.addLines ? { addLines: body.addLines } : {}),
      ...(body.speed ? { speed: body.speed } : {}),
      actor: `${principal.role}:${principal.keyLabel}`,
    });
    return { status: 200, body: view };
  },
});
