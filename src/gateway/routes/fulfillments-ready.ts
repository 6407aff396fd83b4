import { readyForPickupUpdate } from '../../../workflows/fulfillment.messages';
import { actorOf, findFulfillment, requireChildWorkflow, runFulfillmentUpdate } from '../fulfillment-owner';
import { FULFILLMENT_ACTION, fulfillmentActionResponses } from '../fulfillment-action';
import { defineRoute } from '../route';
import { FulfillmentViewSchema } from '../schemas/fulfillment-view.schema';

/** `POST /v1/fulfillments/{fulfillmentId}/ready`: a click-and-collect parcel is waiting at the store. */
export const readyForPickupRoute = defineRoute({
  method: 'post',
  path: '/v1/fulfillments/{fulfillmentId}/ready',
  operationId: 'markFulfillmentReady',
  tag: 'Fulfilment',
  summary: 'Mark a pickup fulfilment ready at the store',
  description:
    'A validated Temporal Update on the fulfilment workflow: the pickup window starts (`pickupBy`, 7 days ' +
    'unless the order says otherwise) and the order becomes `ready_for_pickup`. Not collected by then, ' +
    'the stock goes back to the store and that part is refunded. The body may be empty.',
  ...FULFILLMENT_ACTION,
  responses: fulfillmentActionResponses(
    { description: 'Ready for pickup', schema: FulfillmentViewSchema },
    'Refused: not a pickup fulfilment (`wrong-fulfillment-method`), not waiting at the node ' +
      '(`invalid-fulfillment-state`), the order is on hold (`order-on-hold`), or closed. A part travelling ' +
      'from another node counts as arrived once the store makes it ready.',
  ),
  async handle({ params, principal, deps }) {
    const fulfillment = requireChildWorkflow(await findFulfillment(deps, params.fulfillmentId));
    const view = await runFulfillmentUpdate(deps, fulfillment, readyForPickupUpdate, {
      actor: actorOf(principal),
    });
    return { status: 200, body: view };
  },
});
