import { NotFoundError } from '../../errors';
import { readReturnView, RmaIdParams } from '../../returns/return-updates';
import { ReturnViewSchema } from '../../returns/return-view.schema';
import { defineRoute } from '../route';

/** `GET /v1/returns/{rmaId}`: the RMA's live view, or the read model once its workflow has closed. */
export const readReturnRoute = defineRoute({
  method: 'get',
  path: '/v1/returns/{rmaId}',
  operationId: 'getReturn',
  tag: 'Returns',
  summary: 'Read a return (RMA)',
  description: 'From the RMA workflow while it runs, else from the `returns` read model it keeps current.',
  roles: ['channel', 'agent', 'admin', 'node'],
  params: RmaIdParams,
  responses: {
    200: { description: 'The RMA', schema: ReturnViewSchema },
    404: { description: 'No such return' },
  },
  async handle({ params, deps, log }) {
    const view = await readReturnView(deps, params.rmaId, log);
    if (!view) throw new NotFoundError(`Return ${params.rmaId} does not exist.`);
    return { status: 200, body: view };
  },
});
