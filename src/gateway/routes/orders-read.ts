import { WorkflowNotFoundError } from '@temporalio/client';
import { NotFoundError, UnavailableError } from '../../errors';
import { orderWorkflowId } from '../../../workflows/order.messages';
import type { GatewayDeps } from '../deps';
import { OrderIdParams } from '../order-requests';
import { readOrderView } from '../order-reader';
import { defineRoute } from '../route';
import { OrderViewSchema } from '../schemas/order-view.schema';

/** `GET /v1/orders/{orderId}`: the workflow's live view, or the read model when the workflow cannot answer. */
export const readOrderRoute = defineRoute({
  method: 'get',
  path: '/v1/orders/{orderId}',
  operationId: 'getOrder',
  tag: 'Orders',
  summary: 'Read an order',
  description:
    'The live view comes from the order workflow (a Temporal query). When the workflow cannot answer in ' +
    'time, the last view it published to the read model answers instead.',
  roles: ['channel', 'agent', 'admin'],
  params: OrderIdParams,
  responses: {
    200: { description: 'The order', schema: OrderViewSchema },
    404: { description: 'No such order' },
    503: { description: 'The order exists but neither its workflow nor the read model could answer' },
  },
  async handle({ params, deps, log }) {
    const view = await readOrderView(deps, params.orderId, log);
    if (!view) throw await explainMissingView(deps, params.orderId);
    return { status: 200, body: view };
  },
});

/** Neither the workflow nor the read model answered: 404 if the order does not exist, else 503. */
async function explainMissingView(deps: GatewayDeps, orderId: string): Promise<Error> {
  try {
    await deps.temporal.workflow.getHandle(orderWorkflowId(orderId)).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return new NotFoundError(`Order ${orderId} does not exist.`);
    throw error;
  }
  return new UnavailableError(`Order ${orderId} exists but did not answer in time; retry shortly.`);
}
