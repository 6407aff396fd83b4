import type { Logger } from 'pino';
import type { OrderDoc } from '../db/documents';
import type { OrderView } from '../domain/order-view';
import { getOrderQuery, orderWorkflowId } from '../../workflows/order.messages';
import type { GatewayDeps } from './deps';

export const DEFAULT_QUERY_TIMEOUT_MS = 3000;

/** The read-model document without the fields that exist only to filter on. */
export function toOrderView(doc: OrderDoc): OrderView {
  const { _id, customerId: _customerId, email: _email, requestHash: _requestHash, ...view } = doc;
  return view;
}

/** Asks the workflow for its live view; undefined when it cannot answer in time (no worker, gone, failing). */
export async function queryOrderView(
  deps: GatewayDeps,
  orderId: string,
  log: Logger,
): Promise<OrderView | undefined> {
  const handle = deps.temporal.workflow.getHandle(orderWorkflowId(orderId));
  const deadline = Date.now() + (deps.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  try {
    return await deps.temporal.withDeadline(deadline, () => handle.query(getOrderQuery));
  } catch (error) {
    log.debug({ err: error, orderId }, 'order query failed; using the read model');
    return undefined;
  }
}

/** The last view the workflow published to the read model. */
export async function readModelOrderView(deps: GatewayDeps, orderId: string): Promise<OrderView | undefined> {
  const doc = await deps.collections.orders.findOne({ _id: orderId });
  return doc ? toOrderView(doc) : undefined;
}

/** The live view when the workflow answers, else the read model; undefined when neither knows the order. */
export async function readOrderView(
  deps: GatewayDeps,
  orderId: string,
  log: Logger,
): Promise<OrderView | undefined> {
  return (await queryOrderView(deps, orderId, log)) ?? (await readModelOrderView(deps, orderId));
}
