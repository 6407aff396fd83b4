import { z } from 'zod';
import { placeHoldUpdate, releaseHoldUpdate } from '../../../workflows/order.messages';
import { OrderIdParams } from '../order-requests';
import { defineRoute } from '../route';
import { runOrderUpdate } from '../run-order-update';
import { OrderViewSchema } from '../schemas/order-view.schema';
import { Reason } from './orders-cancel';

const holdResponses = {
  200: { description: 'The order after the change', schema: OrderViewSchema },
  404: { description: 'No such order' },
  409: { description: 'The order refused: already on hold / not on hold, or closed' },
  503: { description: 'The order workflow did not answer in time' },
};

/** `POST /v1/orders/{orderId}/holds`: an agent stops the order; nothing ships until released. */
export const placeOrderHoldRoute = defineRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/holds',
  operationId: 'placeOrderHold',
  tag: 'Orders',
  summary: 'Put an order on hold',
  description:
    'Nothing ships or is handed over while the order is on hold. A hold left too long is escalated (an ' +
    'alert), and after the limit the order is cancelled with everything released.',
  roles: ['agent', 'admin'],
  params: OrderIdParams,
  body: z.object({ reason: Reason }).strict(),
  idempotencyKey: true,
  responses: holdResponses,
  async handle({ params, body, principal, deps }) {
    const view = await runOrderUpdate(deps, params.orderId, placeHoldUpdate, {
      reason: body.reason,
      actor: `${principal.role}:${principal.keyLabel}`,
    });
    return { status: 200, body: view };
  },
});

/** `POST /v1/orders/{orderId}/holds/release`: the order continues where it stopped (manual hold or fraud review). */
export const releaseOrderHoldRoute = defineRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/holds/release',
  operationId: 'releaseOrderHold',
  tag: 'Orders',
  summary: 'Release an order from hold',
  description: 'Releases a manual hold or a fraud review; the order continues where it stopped.',
  roles: ['agent', 'admin'],
  params: OrderIdParams,
  body: z.object({ reason: Reason.optional() }).strict(),
  bodyOptional: true,
  idempotencyKey: true,
  responses: holdResponses,
  async handle({ params, body, principal, deps }) {
    const view = await runOrderUpdate(deps, params.orderId, releaseHoldUpdate, {
      actor: `${principal.role}:${principal.keyLabel}`,
      ...(body.reason ? { reason: body.reason } : {}),
    });
    return { status: 200, body: view };
  },
});
