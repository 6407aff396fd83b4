import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowHandle,
} from '@temporalio/client';
import { z } from 'zod';
import {
  CART_HOLD_STATUSES,
  cartHoldWorkflowId,
  DEFAULT_CART_HOLD_TTL_SECONDS,
  type CartHoldView,
} from '../../domain/cart-hold';
import { CartHoldRequest } from '../../domain/cart-hold-request';
import { Identifier } from '../../domain/order-request';
import { ConflictError, NotFoundError, UnavailableError } from '../../errors';
import {
  getCartHoldQuery,
  releaseCartHoldSignal,
  type CartHoldInput,
} from '../../../workflows/cart-hold.messages';
import type { GatewayDeps } from '../deps';
import { defineRoute } from '../route';

const CART_HOLD_WORKFLOW_TYPE = 'cartHoldWorkflow';
const POLL_MS = 100;

export const CartHoldViewSchema = z
  .object({
    holdId: z.string(),
    channel: z.string(),
    nodeId: z.string(),
    lines: z.array(z.object({ lineId: z.string(), sku: z.string(), quantity: z.number() }).strict()),
    status: z.enum(CART_HOLD_STATUSES),
    expiresAt: z.string().optional(),
    orderId: z.string().optional(),
  })
  .strict();

const HoldParams = z.object({ holdId: Identifier }).strict();

const holdHandle = (deps: GatewayDeps, holdId: string): WorkflowHandle =>
  deps.temporal.workflow.getHandle(cartHoldWorkflowId(holdId));

/** The hold's view; NotFoundError when there is no such hold. */
async function readHold(deps: GatewayDeps, holdId: string): Promise<CartHoldView> {
  try {
    return await holdHandle(deps, holdId).query(getCartHoldQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw new NotFoundError(`Cart hold ${holdId} does not exist.`);
    throw error;
  }
}

/** Polls the hold until `done` says so; UnavailableError when it does not answer in time. */
async function waitForHold(
  deps: GatewayDeps,
  holdId: string,
  done: (view: CartHoldView) => boolean,
): Promise<CartHoldView> {
  const deadline = Date.now() + (deps.updateTimeoutMs ?? 15_000);
  for (;;) {
    const view = await readHold(deps, holdId);
    if (done(view)) return view;
    if (Date.now() > deadline) throw new UnavailableError(`Cart hold ${holdId} did not answer in time.`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** `POST /v1/cart-holds`: reserve a checkout's lines at one node for a bounded time. */
export const createCartHoldRoute = defineRoute({
  method: 'post',
  path: '/v1/cart-holds',
  operationId: 'createCartHold',
  tag: 'Cart holds',
  summary: 'Hold stock for a checkout',
  description:
    'Starts the workflow `cart-hold:{holdId}`, which reserves every line at the node (all or nothing) and ' +
    'releases them when `ttlSeconds` (default 900, at most 3600) pass, unless an order naming the hold in ' +
    '`cartHoldId` takes them over first. Answers once the lines are reserved; 409 when the stock is not there. ' +
    'A retry with the same `Idempotency-Key` and body gets the first answer again.',
  roles: ['channel', 'agent', 'admin'],
  idempotencyKey: true,
  body: CartHoldRequest,
  responses: {
    201: { description: 'The hold, active', schema: CartHoldViewSchema },
    409: { description: 'Not enough stock at the node, or the holdId is taken' },
  },
  async handle({ body, deps }) {
    const input: CartHoldInput = {
      holdId: body.holdId,
      channel: body.channel,
      lines: body.lines,
      nodeId: body.nodeId,
      ttlMs: (body.ttlSeconds ?? DEFAULT_CART_HOLD_TTL_SECONDS) * 1000,
    };
    try {
      await deps.temporal.workflow.start(CART_HOLD_WORKFLOW_TYPE, {
        workflowId: cartHoldWorkflowId(body.holdId),
        taskQueue: deps.config.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      throw new ConflictError(`Cart hold ${body.holdId} already exists.`, 'cart-hold-exists');
    }
    const view = await waitForHold(deps, body.holdId, (v) => v.status !== 'reserving');
    if (view.status === 'insufficient') {
      throw new ConflictError(`${body.nodeId} does not have the stock to hold.`, 'insufficient-stock');
    }
    if (view.status === 'failed') throw new UnavailableError(`Cart hold ${body.holdId} could not reserve.`);
    return { status: 201, headers: { Location: `/v1/cart-holds/${body.holdId}` }, body: view };
  },
});

/** `GET /v1/cart-holds/{holdId}`: the hold as it is now. */
export const readCartHoldRoute = defineRoute({
  method: 'get',
  path: '/v1/cart-holds/{holdId}',
  operationId: 'readCartHold',
  tag: 'Cart holds',
  summary: 'Read a cart hold',
  roles: ['channel', 'agent', 'admin'],
  params: HoldParams,
  responses: {
    200: { description: 'The hold', schema: CartHoldViewSchema },
    404: { description: 'No such hold' },
  },
  async handle({ params, deps }) {
    return { status: 200, body: await readHold(deps, params.holdId) };
  },
});

/** `DELETE /v1/cart-holds/{holdId}`: give the held stock back now. */
export const releaseCartHoldRoute = defineRoute({
  method: 'delete',
  path: '/v1/cart-holds/{holdId}',
  operationId: 'releaseCartHold',
  tag: 'Cart holds',
  summary: 'Release a cart hold',
  description: 'Releases what the hold still reserves; a hold that already ended is answered as it ended.',
  roles: ['channel', 'agent', 'admin'],
  params: HoldParams,
  responses: {
    200: { description: 'The hold once it ended', schema: CartHoldViewSchema },
    404: { description: 'No such hold' },
  },
  async handle({ params, deps }) {
    await readHold(deps, params.holdId); // 404 first
    try {
      await holdHandle(deps, params.holdId).signal(releaseCartHoldSignal);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error; // already closed: answered as it ended
    }
    const ended = (v: CartHoldView): boolean => !['reserving', 'active'].includes(v.status);
    return { status: 200, body: await waitForHold(deps, params.holdId, ended) };
  },
});
