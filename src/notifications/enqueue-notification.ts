import { MongoServerError } from 'mongodb';
import type { Collections } from '../db/collections';
import type { NotificationDoc } from '../db/documents';
import { notificationId, OPERATIONS_EVENTS, type NotificationRequest } from './notification-events';

const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;

/**
 * Inserts the outbox entry once (its `_id` is deterministic: a repeat hits the duplicate key) and lists its id
 * under the order. The listing is idempotent and done on every call, so a retry after a crash between the two
 * writes completes it.
 */
export async function enqueueNotificationEntry(
  collections: Pick<Collections, 'notifications' | 'orderNotifications'>,
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
  try {
    await collections.notifications.insertOne(doc);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    outcome = 'duplicate';
  }
  await listUnderOrder(collections, request.orderId, doc._id, at);
  return outcome;
}

/** Adds the id to the order's list; two first entries racing on the upsert: the loser's retry finds the document. */
async function listUnderOrder(
  collections: Pick<Collections, 'orderNotifications'>,
  orderId: string,
  id: string,
  at: string,
): Promise<void> {
  const add = () =>
    collections.orderNotifications.updateOne(
      { _id: orderId },
      { $addToSet: { ids: id }, $set: { updatedAt: at } },
      { upsert: true },
    );
  try {
    await add();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await add();
  }
}
