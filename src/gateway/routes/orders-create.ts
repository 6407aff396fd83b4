import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import type { Logger } from 'pino';
import { OrderRequest } from '../../domain/order-request';
import { createOrderView } from '../../domain/order-state';
import type { OrderView } from '../../domain/order-view';
import { ConflictError } from '../../errors';
import {
  ORDER_WORKFLOW_TYPE,
  orderWorkflowId,
  type OrderWorkflowInput,
} from '../../../workflows/order.messages';
import { ORDER_SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes';
import { hashRequest } from '../canonical-json';
import type { GatewayDeps } from '../deps';
import { readOrderView } from '../order-reader';
import { defineRoute, type Reply } from '../route';
import { OrderViewSchema } from '../schemas/order-view.schema';

/** `POST /v1/orders`: one workflow per orderId; the same body again is a replay, another body a conflict. */
export const createOrderRoute = defineRoute({
  method: 'post',
  path: '/v1/orders',
  operationId: 'createOrder',
  tag: 'Orders',
  summary: 'Place an order',
  description:
    'Starts the order workflow `order:{orderId}`. Idempotent by `orderId`: the same body again answers 200 ' +
    'with the same order and starts nothing; another body under the same `orderId` is a 409.',
  roles: ['channel', 'agent', 'admin'],
  body: OrderRequest,
  responses: {
    201: {
      description: 'Accepted; `Location` names the order.',
      schema: OrderViewSchema,
      headers: { Location: 'the order URL' },
    },
    200: { description: 'The same order was placed before with the same body.', schema: OrderViewSchema },
    409: { description: 'The orderId is taken by an order with another body.' },
  },
  async handle({ body: order, principal, deps, log }) {
    const input: OrderWorkflowInput = {
      order,
      requestHash: hashRequest(order),
      receivedAt: new Date().toISOString(),
      simulation: deps.config.simulation,
      simStepMs: deps.config.simStepMs,
      actor: `${principal.role}:${principal.keyLabel}`,
    };
    try {
      await startOrderWorkflow(deps, input);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return answerRepeatedOrder(deps, input, log);
    }
    return {
      status: 201,
      headers: { Location: `/v1/orders/${encodeURIComponent(order.orderId)}` },
      body: createOrderView(order, input.receivedAt, input.actor),
    };
  },
});

/** Starts `order:<orderId>`; the id policies make Temporal itself refuse a second run, even a late one. */
function startOrderWorkflow(deps: GatewayDeps, input: OrderWorkflowInput): Promise<WorkflowHandle> {
  const { order } = input;
  return deps.temporal.workflow.start(ORDER_WORKFLOW_TYPE, {
    workflowId: orderWorkflowId(order.orderId),
    taskQueue: deps.config.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    // The memo lets a repeated POST tell a retry from a conflict, and rebuild the first answer exactly.
    memo: { requestHash: input.requestHash, receivedAt: input.receivedAt, actor: input.actor },
    typedSearchAttributes: [
      { key: ORDER_SEARCH_ATTRIBUTES.orderId, value: order.orderId },
      { key: ORDER_SEARCH_ATTRIBUTES.customerId, value: order.customer.id },
      { key: ORDER_SEARCH_ATTRIBUTES.channel, value: order.channel },
      { key: ORDER_SEARCH_ATTRIBUTES.orderStatus, value: 'received' },
    ],
  });
}

/**
 * A second POST for an existing orderId (a retry, or a racing twin): the same body gets the order as it is
 * now, another body a 409. The request hash recorded in the first run's memo decides.
 */
async function answerRepeatedOrder(
  deps: GatewayDeps,
  input: OrderWorkflowInput,
  log: Logger,
): Promise<Reply> {
  const { orderId } = input.order;
  const description = await deps.temporal.workflow.getHandle(orderWorkflowId(orderId)).describe();
  if (description.memo?.requestHash !== input.requestHash) {
    throw new ConflictError(
      `Order ${orderId} already exists with a different body; use a new orderId for a new order.`,
      'order-exists',
    );
  }
  const memo = description.memo ?? {};
  const receivedAt =
    typeof memo.receivedAt === 'string' ? memo.receivedAt : description.startTime.toISOString();
  const actor = typeof memo.actor === 'string' ? memo.actor : undefined;
  const view: OrderView =
    (await readOrderView(deps, orderId, log)) ??
    // The workflow has not answered or published yet; the body is identical, so its first view is this.
    createOrderView(input.order, receivedAt, actor);
  return { status: 200, headers: { Location: `/v1/orders/${encodeURIComponent(orderId)}` }, body: view };
}
