import { enqueueNotificationEntry } from '../src/notifications/enqueue-notification';
import type { NotificationRequest } from '../src/notifications/notification-events';
import {
  loadNotificationSettings,
  type NotificationSettings,
} from '../src/notifications/notification-settings';
import type { ActivityDeps } from './deps';

export type { NotificationEvent, NotificationRequest } from '../src/notifications/notification-events';
export { NOTIFICATION_EVENTS } from '../src/notifications/notification-events';

/** Notification activities: the workflow only writes to the outbox; the worker's dispatcher sends. */
export function createNotificationActivities(
  { collections }: ActivityDeps,
  settings: Pick<NotificationSettings, 'opsEmail'> = loadNotificationSettings(),
) {
  return {
    /**
     * Puts a notification in the outbox exactly once: its `_id` is `${orderId}:${event}:${subject ?? ''}`, so a
     * retried or replayed call hits the duplicate key and answers 'duplicate'. Operations alerts go to the ops address.
     */
    enqueueNotification(input: NotificationRequest): Promise<'queued' | 'duplicate'> {
      return enqueueNotificationEntry(collections, input, settings.opsEmail);
    },
  };
}
