import type { Collections } from '../db/collections';
import type { NotificationDoc } from '../db/documents';

/**
 * The outbox entries of one order, oldest first; undefined when the order has none. Two `_id` lookups (the
 * order's list, then `$in`): the dev server scans for an `_id` range or an `orderId` filter.
 */
export async function findOrderNotifications(
  collections: Pick<Collections, 'notifications' | 'orderNotifications'>,
  orderId: string,
): Promise<NotificationDoc[] | undefined> {
  const listing = await collections.orderNotifications.findOne({ _id: orderId });
  if (!listing) return undefined;
  const docs = await collections.notifications.find({ _id: { $in: listing.ids } }).toArray();
  return docs.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a._id.localeCompare(b._id));
}
