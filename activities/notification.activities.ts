import { MongoServerError } from 'mongodb';
import type { NotificationDoc } from '../src/db/documents';
import {
  notificationId,
  OPERATIONS_EVENTS,
  type NotificationRequest,
} from '../src/notifications/notification-events';
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
     * Puts a notification in the outbox exactly once: its `_id` is derived from order, event and subject, so a
     * retried or replayed call hits the duplicate key and answers 'duplicate'. Operations alerts go to the ops address.
     */
    async enqueueNotification(input: NotificationRequest): Promise<'queued' | 'duplicate'> {
      const now = new Date().toISOString();
      const doc: NotificationDoc = {
        _id: notificationId(input.orderId, input.event, input.subject),
        orderId: input.orderId,
        event: input.event,
        repeatKey: input.subject ?? '',
        to: OPERATIONS_EVENTS.includes(input.event)
          ? { email: settings.opsEmail, name: 'Operations' }
          : input.to,
        data: input.data,
        status: 'pending',
        attempts: 0,
        dueAt: now,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await collections.notifications.insertOne(doc);
        return 'queued';
      } catch (error) {
        if (error instanceof MongoServerError && error.code === 11000) return 'duplicate';
        throw error;
      }
    },
  };
}
