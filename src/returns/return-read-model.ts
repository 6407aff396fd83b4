import type { Collections } from '../db/collections';
import type { ReturnDoc } from '../db/documents';
import { isDuplicateKey } from '../inventory/ledger';
import type { ReturnView } from '../domain/returns/return-view';

/** Stores the RMA's view unless a newer version is already there (then the upsert's insert hits the `_id` and is dropped). */
export async function publishReturn(c: Collections, view: ReturnView): Promise<'published' | 'stale'> {
  const doc: ReturnDoc = { ...view, _id: view.rmaId };
  try {
    const result = await c.returns.replaceOne({ _id: doc._id, version: { $lt: view.version } }, doc, {
      upsert: true,
    });
    return result.modifiedCount + result.upsertedCount > 0 ? 'published' : 'stale';
  } catch (error) {
    if (isDuplicateKey(error)) return 'stale';
    throw error;
  }
}

/** The RMA as last published; undefined when there is none. */
export async function readReturn(c: Collections, rmaId: string): Promise<ReturnView | undefined> {
  const doc = await c.returns.findOne({ _id: rmaId });
  if (!doc) return undefined;
  const { _id, ...view } = doc;
  return view;
}
