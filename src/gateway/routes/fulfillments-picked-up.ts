import { pickedUpUpdate } from '../../../workflows/fulfillment.messages';
import { actorOf, findFulfillment, requireChildWorkflow, runFulfillmentUpdate } from '../fulfillment-owner';
import { FULFILLMENT_ACTION, fulfillmentActionResponses } from '../fulfillment-action';
import { defineRoute } from '../route';
import { FulfillmentViewSchema } from '../schemas/fulfillment-view.schema';

/** `POST /v1/fulfillments/{fulfillmentId}/picked-up`: the customer collected the parcel at the store. */
export const pickedUpRoute = defineRoute({
  method: 'post',
  path: '/v1/fulfillments/{fulfillmentId}/picked-up',
  operationId: 'markFulfillmentPickedUp',
  tag: 'Fulfilment',
  summary: 'Record that the customer collected a pickup fulfilment',
  description:
    'A validated Temporal Update on the fulfilment workflow: the stock is consumed and the order captures ' +
    "this fulfilment's share of the payment. The body may be empty.",
  ...FULFILLMENT_ACTION,
  responses: fulfillmentActionResponses(
    { description: 'Picked up', schema: FulfillmentViewSchema },
    'Refused: not ready for pickup (`invalid-fulfillment-state`), not a pickup fulfilment, the order is ' +
      'on hold (`order-on-hold`), or closed (e.g. not collected in time).',
  ),
  async handle({ params, principal, deps }) {
    const fulfillment = requireChildWorkflow(await findFulfillment(deps, params.fulfillmentId));
    const view = await runFulfillmentUpdate(deps, fulfillment, pickedUpUpdate, { actor: actorOf(principal) });
    return { status: 200, body: view };
  },
});
