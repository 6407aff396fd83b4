/** Every lifecycle event the OMS tells someone about; each has a template in `templates.ts`. */
export const NOTIFICATION_EVENTS = [
  'order_confirmed',
  'payment_review',
  'shipped',
  'ready_for_pickup',
  'picked_up',
  'delivered',
  'not_collected',
  'backordered',
  'backorder_delayed',
  'backorder_available',
  'cancelled',
  'partially_cancelled',
  'refunded',
  'order_changed',
  'on_hold',
  'hold_escalated',
  'carrier_exception',
  'return_created',
  'return_received',
  'return_expired',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Events that go to operations (the address in OMS_OPS_EMAIL), not to the customer. */
export const OPERATIONS_EVENTS: readonly NotificationEvent[] = ['hold_escalated'];

/** A recipient of a notification. */
export interface NotificationRecipient {
  email: string;
  name?: string;
}

/** What a workflow asks to be told to someone; the outbox keeps it exactly once. */
export interface NotificationRequest {
  orderId: string;
  event: NotificationEvent;
  /** distinguishes repeats of one event, e.g. a fulfilmentId */
  subject?: string;
  to: NotificationRecipient;
  data: Record<string, string | number>;
}

/** The outbox id: deterministic, so a retried or replayed enqueue inserts the entry exactly once. */
export const notificationId = (orderId: string, event: NotificationEvent, subject?: string): string =>
  `${orderId}:${event}:${subject ?? ''}`;
