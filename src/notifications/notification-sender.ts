import type { NotificationEvent, NotificationRecipient } from './notification-events';

/** One message handed to a sender. `id` is the outbox id: a sender (or the provider behind it) dedupes on it. */
export interface OutgoingNotification {
  id: string;
  orderId: string;
  event: NotificationEvent;
  to: NotificationRecipient;
  subject: string;
  body: string;
}

/** Where notifications go (log, file, an e-mail provider…). A rejection is retried with backoff by the dispatcher. */
export interface NotificationSender {
  readonly kind: string;
  send(message: OutgoingNotification): Promise<void>;
}
