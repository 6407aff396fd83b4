import { z } from 'zod';
import { Identifier } from '../../domain/order-request';
import { NotFoundError } from '../../errors';
import { orderWorkflowId, shipFulfillmentUpdate } from '../../../workflows/order.messages';
import { defineRoute } from '../route';
import { fromWorkflowMessageError } from '../workflow-errors';

export const DEFAULT_UPDATE_TIMEOUT_MS = 15_000;

export const FulfillmentIdParams = z.object({ fulfillmentId: Identifier }).strict();

export const ShipResult = z
  .object({ fulfillmentId: z.string(), trackingNumber: z.string(), carrier: z.string() })
  .strict();

/** `POST /v1/fulfillments/{fulfillmentId}/ship`: node staff hand the parcel over; the order workflow decides. */
export const shipFulfillmentRoute = defineRoute({
  method: 'post',
  path: '/v1/fulfillments/{fulfillmentId}/ship',
  operationId: 'shipFulfillment',
  tag: 'Fulfilment',
  summary: 'Hand a fulfilment to the carrier',
  description:
    'A validated Temporal Update on the order workflow: the answer (or the refusal, as a 409) is the ' +
    "workflow's own. The body may be empty.",
  roles: ['admin', 'node'],
  params: FulfillmentIdParams,
  body: z.object({}).strict(),
  bodyOptional: true,
  idempotencyKey: true,
  responses: {
    200: { description: 'Shipped; the parcel has a tracking number.', schema: ShipResult },
    404: { description: 'No such fulfilment' },
    409: { description: 'The order refused: already shipped, cancelled, or closed.' },
    503: { description: 'The order workflow did not answer in time.' },
  },
  async handle({ params, principal, deps }) {
    const { fulfillmentId } = params;
    const fulfillment = await deps.collections.fulfillments.findOne({ _id: fulfillmentId });
    if (!fulfillment) throw new NotFoundError(`Fulfilment ${fulfillmentId} does not exist.`);
    const handle = deps.temporal.workflow.getHandle(orderWorkflowId(fulfillment.orderId));
    const deadline = Date.now() + (deps.updateTimeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS);
    try {
      const result = await deps.temporal.withDeadline(deadline, () =>
        handle.executeUpdate(shipFulfillmentUpdate, {
          args: [{ fulfillmentId, actor: `${principal.role}:${principal.keyLabel}` }],
        }),
      );
      return { status: 200, body: result };
    } catch (error) {
      throw fromWorkflowMessageError(error, fulfillment.orderId);
    }
  },
});
