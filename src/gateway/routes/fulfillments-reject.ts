import { z } from 'zod';
import { rejectUpdate } from '../../../workflows/fulfillment.messages';
import { actorOf, findFulfillment, requireChildWorkflow, runFulfillmentUpdate } from '../fulfillment-owner';
import { defineRoute } from '../route';
import { FulfillmentViewSchema } from '../schemas/fulfillment-view.schema';
import { FulfillmentIdParams } from './fulfillments-ship';

export const RejectFulfillmentBody = z
  .object({
    reason: z.string().trim().min(1).max(500).describe('Why the node cannot serve it, e.g. not on the shelf'),
  })
  .strict();

/** `POST /v1/fulfillments/{fulfillmentId}/reject`: the node cannot serve the fulfilment; the order re-sources it. */
export const rejectFulfillmentRoute = defineRoute({
  method: 'post',
  path: '/v1/fulfillments/{fulfillmentId}/reject',
  operationId: 'rejectFulfillment',
  tag: 'Fulfilment',
  summary: 'Reject a fulfilment at the node (stock not found)',
  description:
    'A validated Temporal Update on the fulfilment workflow: it ends `rejected` with the reason; the order ' +
    'writes the missing units off at that node and sources them elsewhere.',
  roles: ['admin', 'node'],
  params: FulfillmentIdParams,
  body: RejectFulfillmentBody,
  idempotencyKey: true,
  responses: {
    200: { description: 'Rejected', schema: FulfillmentViewSchema },
    404: { description: 'No such fulfilment' },
    409: {
      description:
        'Refused: already handed over (`already-shipped`), no longer waiting at the node ' +
        '(`invalid-fulfillment-state`), or closed.',
    },
    503: { description: 'The workflow did not answer in time.' },
  },
  async handle({ params, body, principal, deps }) {
    const fulfillment = requireChildWorkflow(await findFulfillment(deps, params.fulfillmentId));
    const view = await runFulfillmentUpdate(deps, fulfillment, rejectUpdate, {
      actor: actorOf(principal),
      reason: body.reason,
    });
    return { status: 200, body: view };
  },
});
