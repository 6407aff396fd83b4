import { MongoServerError } from 'mongodb';

/** True for a write refused by a unique index (E11000). */
export const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === 11000;

/** Runs an upsert by `_id`; of two racing first upserts one may lose on the key, and its second try finds the document. */
export async function upsertWithRetry<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return upsert();
  }
}
