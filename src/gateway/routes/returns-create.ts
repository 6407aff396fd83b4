import { z } from 'zod';
import { Identifier, PositiveQuantity } from '../../domain/order-request';
import { RETURN_METHODS } from '../../domain/returns/return-view';
import { requestReturnOnOrder } from '../../returns/return-updates';
import { ReturnViewSchema } from '../../returns/return-view.schema';
import { actorOf } from '../fulfillment-owner';
import { OrderIdParams } from '../order-requests';
import { defineRoute } from '../route';

const uniqueLineIds = (lines: readonly { lineId: string }[]) =>
  new Set(lines.map((l) => l.lineId)).size === lines.length;

export const CreateReturnBody = z
  .object({
    lines: z
      .array(
        z
          .object({
            lineId: Identifier,
            quantity: PositiveQuantity,
            reason: z.string().min(1).max(200).describe('e.g. wrong_size, defective, changed_mind'),
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .refine(uniqueLineIds, 'lineIds must be unique'),
    method: z.enum(RETURN_METHODS).describe('store (any store that takes returns), mail or locker (a label)'),
    exchange: z
      .object({
        lines: z
          .array(z.object({ lineId: Identifier, sku: Identifier.describe('the replacement SKU') }).strict())
          .min(1)
          .max(100)
          .refine(uniqueLineIds, 'lineIds must be unique'),
      })
      .strict()
      .optional()
      .describe('Replacements: another size or colour of the same product, as many units as returned'),
  })
  .strict();

/** `POST /v1/orders/{orderId}/returns`: opens an RMA through the order workflow's validated Update. */
export const createReturnRoute = defineRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/returns',
  operationId: 'createReturn',
  tag: 'Returns',
  summary: 'Return delivered units (an RMA), optionally for an exchange',
  description:
    'The order decides: only units delivered (or collected), not already returned or under an open return, ' +
    'within their return window (30 days from delivery unless the product says otherwise; longer for VIP when ' +
    'configured). A mail or locker return gets a label; trusted customers are refunded at once. An exchange ' +
    'reserves the replacement now and charges (or later refunds) the price difference. 409 with the reason ' +
    '(`not-delivered`, `already-returned`, `return-window-closed`, `exchange-not-allowed`); an order that has ' +
    'closed is `return-window-closed` when it reached the customer, else `not-delivered`.',
  roles: ['channel', 'agent', 'admin'],
  params: OrderIdParams,
  body: CreateReturnBody,
  idempotencyKey: true,
  responses: {
    201: { description: 'The RMA', schema: ReturnViewSchema, headers: { Location: 'the return URL' } },
    404: { description: 'No such order' },
    409: { description: 'The units may not be returned (the problem type says why)' },
    422: { description: 'The request names lines the order does not have, or too many units' },
    503: { description: 'The order workflow did not answer in time' },
  },
  async handle({ params, body, principal, deps }) {
    const rma = await requestReturnOnOrder(deps, params.orderId, {
      lines: body.lines,
      method: body.method,
      actor: actorOf(principal),
      ...(body.exchange ? { exchange: body.exchange } : {}),
    });
    return {
      status: 201,
      headers: { Location: `/v1/returns/${encodeURIComponent(rma.rmaId)}` },
      body: rma,
    };
  },
});
