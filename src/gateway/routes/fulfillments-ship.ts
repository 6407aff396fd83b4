import { z } from 'zod';
import { orderWorkflowId, shipFulfillmentUpdate } from '../../../workflows/order.messages';
import { shipUpdate } from '../../../workflows/fulfillment.messages';
import {
  actorOf,
  findFulfillment,
  fromFulfillmentMessageError,
  FULFILLMENT_UPDATE_TIMEOUT_MS,
  ownerOf,
  requireChildWorkflow,
  runFulfillmentUpdate,
} from '../fulfillment-owner';
import { FULFILLMENT_ACTION, FulfillmentIdParams, fulfillmentActionResponses } from '../fulfillment-action';
import { defineRoute } from '../route';

export const DEFAULT_UPDATE_TIMEOUT_MS = FULFILLMENT_UPDATE_TIMEOUT_MS;

/** Re-exported: the other fulfilment routes imported it from here. */
export { FulfillmentIdParams };

export const ShipResult = z
  .object({
    fulfillmentId: z.string(),
    trackingNumber: z.string(),
    carrier: z.string(),
    labelUrl: z.string().optional(),
    expectedDeliveryDate: z
      .string()
      .optional()
      .describe('The day the carrier expects to deliver (YYYY-MM-DD)'),
  })
  .strict();

/** `POST /v1/fulfillments/{fulfillmentId}/ship`: node staff hand the parcel over; the owning workflow decides. */
export const shipFulfillmentRoute = defineRoute({
  method: 'post',
  path: '/v1/fulfillments/{fulfillmentId}/ship',
  operationId: 'shipFulfillment',
  tag: 'Fulfilment',
  summary: 'Hand a fulfilment to the carrier',
  description:
    "A validated Temporal Update on the fulfilment's workflow (its child workflow, or the order for orders " +
    "placed before fulfilments had their own): the answer (or the refusal, as a 409) is the workflow's own. " +
    'For a pickup fulfilment served from another node it ships the transfer leg to the pickup store ' +
    '(`transfer` in the fulfilment; nothing is captured until pickup). The body may be empty.',
  ...FULFILLMENT_ACTION,
  responses: fulfillmentActionResponses(
    { description: 'Shipped; the parcel has a tracking number.', schema: ShipResult },
    'Refused: already shipped (`already-shipped`), the order is on hold (`order-on-hold`), a pickup ' +
      'fulfilment at its own store (`wrong-fulfillment-method`), cancelled or rejected, or closed.',
  ),
  async handle({ params, principal, deps }) {
    const fulfillment = await findFulfillment(deps, params.fulfillmentId);
    const actor = actorOf(principal);
    if (fulfillment.workflowId) {
      const result = await runFulfillmentUpdate(deps, requireChildWorkflow(fulfillment), shipUpdate, {
        actor,
      });
      return { status: 200, body: result };
    }
    // Orders of the v1 workflow own their fulfilments themselves.
    const handle = deps.temporal.workflow.getHandle(orderWorkflowId(fulfillment.orderId));
    const deadline = Date.now() + (deps.updateTimeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS);
    try {
      const result = await deps.temporal.withDeadline(deadline, () =>
        handle.executeUpdate(shipFulfillmentUpdate, { args: [{ fulfillmentId: fulfillment._id, actor }] }),
      );
      return { status: 200, body: result };
    } catch (error) {
      throw fromFulfillmentMessageError(error, ownerOf(fulfillment));
    }
  },
});
