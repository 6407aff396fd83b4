import { z } from 'zod';
import { Identifier } from '../../domain/order-request';
import { cancelOrderUpdate } from '../../../workflows/order.messages';
import { OrderIdParams } from '../order-requests';
import { defineRoute } from '../route';
import { runOrderUpdate } from '../run-order-update';
import { OrderViewSchema } from '../schemas/order-view.schema';

/** Why an order or some of its lines are cancelled: the timeline keeps it. */
export const Reason = z.string().trim().min(1).max(500);

export const CancelOrderBody = z
  .object({
    lineIds: z
      .array(Identifier)
      .min(1)
      .max(100)
      .refine((ids) => new Set(ids).size === ids.length, 'lineIds must be unique')
      .optional()
      .describe('Lines to cancel entirely; the whole order when absent'),
    reason: Reason,
  })
  .strict();

/** `POST /v1/orders/{orderId}/cancel`: whole or partial cancellation, decided by the order workflow. */
export const cancelOrderRoute = defineRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/cancel',
  operationId: 'cancelOrder',
  tag: 'Orders',
  summary: 'Cancel an order or some of its lines',
  description:
    'A validated Temporal Update on the order workflow: reservations are released, the payment voided or ' +
    'refunded, fulfilments not yet shipped stopped. Shipped lines cannot be cancelled (409). Any channel ' +
    'key may cancel any order: API keys carry no channel identity yet.',
  roles: ['channel', 'agent', 'admin'],
  params: OrderIdParams,
  body: CancelOrderBody,
  idempotencyKey: true,
  responses: {
    200: { description: 'The order after the cancellation', schema: OrderViewSchema },
    404: { description: 'No such order' },
    409: {
      description: 'What is asked can no longer be cancelled (already shipped, or the order is closed)',
    },
    422: { description: 'The request names lines the order does not have' },
    503: { description: 'The order workflow did not answer in time' },
  },
  async handle({ params, body, principal, deps }) {
    const view = await runOrderUpdate(deps, params.orderId, cancelOrderUpdate, {
      ...(body.lineIds ? { lineIds: body.lineIds } : {}),
      reason: body.reason,
      actor: `${principal.role}:${principal.keyLabel}`,
    });
    return { status: 200, body: view };
  },
});
