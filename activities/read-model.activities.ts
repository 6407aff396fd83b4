import { MongoServerError } from 'mongodb';
import type { OrderDoc } from '../src/db/documents';
import type { OrderView } from '../src/domain/order-view';
import type { ActivityDeps } from './deps';

export interface PublishOrderViewInput {
  view: OrderView;
  requestHash: string;
}

/** Read-model activities: the orders collection follows the workflow, never backwards. */
export function createReadModelActivities({ collections }: ActivityDeps) {
  return {
    /** Stores the view unless a newer version is already there (then the upsert's insert hits the `_id` and is dropped). */
    async publishOrderView({ view, requestHash }: PublishOrderViewInput): Promise<'published' | 'stale'> {
      const doc: OrderDoc = {
        ...view,
        _id: view.orderId,
        customerId: view.customer.id,
        email: view.customer.email.toLowerCase(),
        requestHash,
      };
      try {
        const result = await collections.orders.replaceOne(
          { _id: doc._id, version: { $lt: view.version } },
          doc,
          {
            upsert: true,
          },
        );
        return result.modifiedCount + result.upsertedCount > 0 ? 'published' : 'stale';
      } catch (error) {
        if (error instanceof MongoServerError && error.code === 11000) return 'stale';
        throw error;
      }
    },
  };
}
