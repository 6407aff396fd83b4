import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { NOTIFICATION_STATUSES, type NotificationDoc } from '../../db/documents';
import { NotFoundError } from '../../errors';
import { NOTIFICATION_EVENTS } from '../../notifications/notification-events';
import { findOrderNotifications } from '../../notifications/order-notifications';
import { renderNotification } from '../../notifications/templates';
import { orderWorkflowId } from '../../../workflows/order.messages';
import type { GatewayDeps } from '../deps';
import { OrderIdParams } from '../order-requests';
import { defineRoute } from '../route';

export const OrderNotificationSchema = z
  .object({
    id: z
      .string()
      .describe('The outbox id `{orderId}:{event}:{subject}`, also the dedupe key given to the sender'),
    event: z.enum(NOTIFICATION_EVENTS),
    status: z.enum(NOTIFICATION_STATUSES),
    to: z.object({ email: z.string(), name: z.string().optional() }).strict(),
    subject: z.string().optional().describe('The subject line sent, or that will be sent'),
    attempts: z.number().int(),
    createdAt: z.string(),
    sentAt: z.string().optional(),
    lastError: z
      .string()
      .optional()
      .describe('Why the last attempt failed (retried unless status is failed)'),
  })
  .strict();
export type OrderNotification = z.infer<typeof OrderNotificationSchema>;

export const OrderNotificationList = z
  .object({ orderId: z.string(), items: z.array(OrderNotificationSchema) })
  .strict()
  .describe("The order's notifications, oldest first");

/** The subject sent; for an entry not sent yet, what the template renders now (nothing if it cannot). */
function subjectOf(doc: NotificationDoc): string | undefined {
  if (doc.subject !== undefined) return doc.subject;
  try {
    return renderNotification(doc).subject;
  } catch {
    return undefined;
  }
}

function toOrderNotification(doc: NotificationDoc): OrderNotification {
  const subject = subjectOf(doc);
  return {
    id: doc._id,
    event: doc.event,
    status: doc.status,
    to: doc.to,
    ...(subject === undefined ? {} : { subject }),
    attempts: doc.attempts,
    createdAt: doc.createdAt,
    ...(doc.sentAt ? { sentAt: doc.sentAt } : {}),
    ...(doc.lastError ? { lastError: doc.lastError } : {}),
  };
}

/** True when the order exists: in the read model, or as a workflow that has not published yet. */
async function orderExists(deps: GatewayDeps, orderId: string): Promise<boolean> {
  if (await deps.collections.orders.findOne({ _id: orderId }, { projection: { _id: 1 } })) return true;
  try {
    await deps.temporal.workflow.getHandle(orderWorkflowId(orderId)).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** `GET /v1/orders/{orderId}/notifications`: what the customer (and operations) were told about the order. */
export const orderNotificationsRoute = defineRoute({
  method: 'get',
  path: '/v1/orders/{orderId}/notifications',
  operationId: 'listOrderNotifications',
  tag: 'Orders',
  summary: "List an order's notifications",
  description:
    "The order's entries in the notification outbox, oldest first: event, recipient, subject, and whether " +
    'it has been sent (`pending`, `sending`, `sent`, or `failed` after the last attempt).',
  roles: ['agent', 'admin'],
  params: OrderIdParams,
  responses: {
    200: { description: "The order's notifications", schema: OrderNotificationList },
    404: { description: 'No such order' },
  },
  async handle({ params, deps }) {
    const docs = await findOrderNotifications(deps.collections, params.orderId);
    if (!docs && !(await orderExists(deps, params.orderId))) {
      throw new NotFoundError(`Order ${params.orderId} does not exist.`);
    }
    return { status: 200, body: { orderId: params.orderId, items: (docs ?? []).map(toOrderNotification) } };
  },
});
