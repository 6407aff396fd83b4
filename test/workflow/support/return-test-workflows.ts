// A workflow bundle of its own for the returns tests: the RMA child, the fulfilment child (an exchange's
// replacement) and a stand-in order that plugs the returns handlers in exactly as the order workflow does.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import type { Delivery, OrderRequest } from '../../../src/domain/order-request';
import { createOrderView, recordEvent } from '../../../src/domain/order-state';
import type { FulfillmentView, OrderView } from '../../../src/domain/order-view';
import {
  createPaymentAccount,
  paymentView,
  recordAuthorization,
  recordCapture,
  type PaymentAccount,
} from '../../../src/domain/payment-account';
import { activities, local } from '../../../workflows/order-activity-proxies';
import { getOrderQuery } from '../../../workflows/order.messages';
import { Mutex } from '../../../workflows/order/mutex';
import { registerReturnHandlers } from '../../../workflows/returns/order-returns';

export { returnWorkflow } from '../../../workflows/return.workflow';
export { fulfillmentWorkflow } from '../../../workflows/fulfillment.workflow';
export { simulateFulfillmentWorkflow } from '../../../workflows/simulate-fulfillment.workflow';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReturnTestOrderInput {
  order: OrderRequest;
  /** Status of the single fulfilment `<orderId>-F1` carrying every line (delivered by default). */
  fulfillmentStatus?: FulfillmentView['status'];
  /** How long ago (workflow time) the fulfilment was delivered; 0 when absent. */
  deliveredDaysAgo?: number;
  nodeId?: string;
}

/**
 * Stands in for a completed order: one fulfilment delivered, its value authorised and captured through the
 * payment activities; the returns plug-in is registered with the context the order gives it, and the order
 * stays open until its return window has passed and no RMA is open.
 */
export async function returnTestOrder(input: ReturnTestOrderInput): Promise<OrderView> {
  const { order } = input;
  const startedAt = Date.now();
  const view: OrderView = createOrderView(order, new Date(startedAt).toISOString(), 'channel:test');
  const account: PaymentAccount = createPaymentAccount();
  const fulfillmentId = `${order.orderId}-F1`;
  const at = () => new Date().toISOString();
  const record = (type: string, detail?: string, actor?: string) =>
    recordEvent(view, at(), type, detail, actor);
  const publish = async () => {
    view.payment = paymentView(account, Date.now());
    await local.publishOrderView({
      view: JSON.parse(JSON.stringify(view)) as OrderView,
      requestHash: 'test',
    });
  };

  const returns = registerReturnHandlers({
    view: () => view,
    account: () => account,
    paymentToken: () => order.payment.token,
    record,
    publish,
    notify: async (event, data, subject) => {
      await local.enqueueNotification({
        orderId: order.orderId,
        event,
        ...(subject !== undefined ? { subject } : {}),
        to: { email: order.customer.email },
        data,
      });
    },
    lock: new Mutex(),
    simulation: 'manual',
  });
  setHandler(getOrderQuery, () => ({ ...view, payment: paymentView(account, Date.now()) }));

  // What the order workflow does once: list the order under its customer for customer service.
  await returns.indexCustomer();
  const status = input.fulfillmentStatus ?? 'delivered';
  view.fulfillments.push({
    fulfillmentId,
    nodeId: input.nodeId ?? 'WH-LYON',
    method: (order.delivery as Delivery).method,
    lines: order.lines.map(({ lineId, quantity }) => ({ lineId, quantity })),
    status,
  });
  const auth = await activities.authorizePayment({
    orderId: order.orderId,
    idempotencyKey: `auth:${order.orderId}`,
    token: order.payment.token,
    amountMinor: view.totalMinor,
    currency: order.currency,
  });
  recordAuthorization(account, {
    authorizationId: auth.authorizationId,
    idempotencyKey: `auth:${order.orderId}`,
    amountMinor: view.totalMinor,
    status: 'authorized',
  });
  if (status === 'delivered' || status === 'picked_up') {
    const captureKey = `capture:${order.orderId}:${fulfillmentId}`;
    const capture = await activities.capturePayment({
      idempotencyKey: captureKey,
      authorizationId: auth.authorizationId,
      amountMinor: view.totalMinor,
    });
    recordCapture(account, {
      idempotencyKey: captureKey,
      authorizationId: auth.authorizationId,
      amountMinor: capture.amountMinor,
      fulfillmentId,
      at: at(),
    });
    const deliveredAt = new Date(startedAt - (input.deliveredDaysAgo ?? 0) * DAY_MS).toISOString();
    recordEvent(view, deliveredAt, 'fulfillment_delivered', `${fulfillmentId} TRK-1`, 'carrier');
    for (const line of view.lines) line.status = 'delivered';
    view.status = 'completed';
    record('completed');
  } else {
    view.status = 'shipped';
  }
  await publish();
  // Nothing delivered: a real order would go on shipping; the stand-in just stays open for the test.
  if (view.status !== 'completed') await condition(() => false);
  await returns.waitUntilSettled();
  await condition(allHandlersFinished);
  return view;
}
