import { z } from 'zod';
import { Identifier, PositiveQuantity } from '../../domain/order-request';
import { UNIT_CONDITIONS } from '../../domain/returns/return-view';
import { ConflictError, ValidationError } from '../../errors';
import { RmaIdParams, runRmaUpdate } from '../../returns/return-updates';
import { ReturnViewSchema } from '../../returns/return-view.schema';
import { receiveReturnUpdate } from '../../../workflows/return.messages';
import { actorOf } from '../fulfillment-owner';
import { defineRoute } from '../route';

export const ReceiveReturnBody = z
  .object({
    nodeId: Identifier.describe('the node that received and inspected the units'),
    lines: z
      .array(
        z
          .object({
            lineId: Identifier,
            quantity: PositiveQuantity,
            condition: z
              .enum(UNIT_CONDITIONS)
              .describe('sellable: back on sale here at once; damaged: kept apart'),
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict();

/** `POST /v1/returns/{rmaId}/receive`: the units arrived and were inspected; the RMA workflow takes them once. */
export const receiveReturnRoute = defineRoute({
  method: 'post',
  path: '/v1/returns/{rmaId}/receive',
  operationId: 'receiveReturn',
  tag: 'Returns',
  summary: 'Receive and inspect returned units',
  description:
    'Sellable units are back in stock (available) at that node before this answers; damaged ones go to a ' +
    'non-sellable bucket. A disposition (keep here, or transfer to where the SKU sells most) is recorded; the ' +
    'refund (and an exchange’s replacement) follows, exactly once. A second receipt is a 409 `already-received`; ' +
    'an expired or completed RMA a 409 `return-closed`; a node that does not take returns a 409.',
  roles: ['agent', 'admin', 'node'],
  params: RmaIdParams,
  body: ReceiveReturnBody,
  idempotencyKey: true,
  responses: {
    200: { description: 'The RMA after the receipt', schema: ReturnViewSchema },
    404: { description: 'No such return' },
    409: { description: 'Already received, expired, or the node does not take returns' },
    422: { description: 'Unknown node, or lines and quantities the RMA does not have' },
    503: { description: 'The return workflow did not answer in time' },
  },
  async handle({ params, body, principal, deps }) {
    const node = await deps.collections.nodes.findOne({ _id: body.nodeId });
    if (!node)
      throw new ValidationError(`Node ${body.nodeId} does not exist.`, [
        { path: 'nodeId', message: 'unknown node' },
      ]);
    if (!node.capabilities.includes('return'))
      throw new ConflictError(`Node ${body.nodeId} does not take returns.`, 'node-takes-no-returns');
    const rma = await runRmaUpdate(deps, params.rmaId, receiveReturnUpdate, {
      nodeId: body.nodeId,
      lines: body.lines,
      actor: actorOf(principal),
    });
    return { status: 200, body: rma };
  },
});
