import type { Collections } from '../db/collections';
import type { NotificationDoc } from '../db/documents';
import { isDuplicateKey, upsertWithRetry } from './duplicate-key';
import { notificationId, OPERATIONS_EVENTS, type NotificationRequest } from './notification-events';
import { createOutboxStore } from './outbox-store';

/**
 * Inserts the outbox entry once (its `_id` is deterministic: a repeat hits the duplicate key), then its queue
 * hint and its place in the order's list. Both follow-ups are idempotent and redone by a repeat while the entry
 * is unsent, so a retry after a crash between the writes completes them.
 */
export async function enqueueNotificationEntry(
  collections: Pick<Collections, 'notifications' | 'notificationQueue' | 'orderNotifications'>,
  request: NotificationRequest,
  opsEmail: string,
  now = new Date(),
): Promise<'queued' | 'duplicate'> {
  const at = now.toISOString();
  const doc: NotificationDoc = {
    _id: notificationId(request.orderId, request.event, request.subject),
    orderId: request.orderId,
    event: request.event,
    repeatKey: request.subject ?? '',
    to: OPERATIONS_EVENTS.includes(request.event) ? { email: opsEmail, name: 'Operations' } : request.to,
    data: request.data,
    status: 'pending',
    attempts: 0,
    dueAt: at,
    createdAt: at,
    updatedAt: at,
  };
  let outcome: 'queued' | 'duplicate' = 'queued';
  let unsent = true;
  try {
    await collections.notifications.insertOne(doc);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    outcome = 'duplicate';
    const stored = await collections.notifications.findOne({ _id: doc._id }, { projection: { status: 1 } });
    unsent = stored?.status === 'pending' || stored?.status === 'sending';
  }
  if (unsent) await createOutboxStore(collections).addHint(doc._id, at);
  await upsertWithRetry(() =>
    collections.orderNotifications.updateOne(
      { _id: request.orderId },
      { $addToSet: { ids: doc._id }, $set: { updatedAt: at } },
      { upsert: true },
    ),
  );
  return outcome;
}
