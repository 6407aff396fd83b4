import { z } from 'zod';
import { NotFoundError } from '../../errors';
import { resolveExceptionUpdate } from '../../../workflows/order.messages';
import { defineRoute } from '../route';
import { runOrderUpdate } from '../run-order-update';
import { OrderViewSchema } from '../schemas/order-view.schema';
import { FulfillmentIdParams } from './fulfillments-ship';

/** `POST /v1/fulfillments/{fulfillmentId}/resolve`: an agent decides what happens after a carrier exception. */
export const resolveFulfillmentRoute = defineRoute({
  method: 'post',
  path: '/v1/fulfillments/{fulfillmentId}/resolve',
  operationId: 'resolveFulfillmentException',
  tag: 'Fulfilment',
  summary: 'Re-ship or refund a parcel the carrier lost',
  description:
    'Only for a fulfilment in `exception`. `reship` sends the same units again as a new fulfilment from a ' +
    "fresh plan; `refund` refunds that fulfilment's share. Answers the order view (the workflow's decision).",
  roles: ['agent', 'admin'],
  params: FulfillmentIdParams,
  body: z.object({ action: z.enum(['reship', 'refund']) }).strict(),
  idempotencyKey: true,
  responses: {
    200: { description: 'The order after the decision', schema: OrderViewSchema },
    404: { description: 'No such fulfilment' },
    409: { description: 'The fulfilment is not in exception, or was resolved already' },
    503: { description: 'The order workflow did not answer in time' },
  },
  async handle({ params, body, principal, deps }) {
    const { fulfillmentId } = params;
    const fulfillment = await deps.collections.fulfillments.findOne({ _id: fulfillmentId });
    if (!fulfillment) throw new NotFoundError(`Fulfilment ${fulfillmentId} does not exist.`);
    const view = await runOrderUpdate(deps, fulfillment.orderId, resolveExceptionUpdate, {
      fulfillmentId,
      action: body.action,
      actor: `${principal.role}:${principal.keyLabel}`,
    });
    return { status: 200, body: view };
  },
});
