import type { Filter } from 'mongodb';
import type { Collections } from '../db/collections';
import type { NotificationDoc } from '../db/documents';

/** A due outbox entry as seen before claiming it: the claim only wins if nobody touched it since. */
export type ClaimCandidate = Pick<NotificationDoc, '_id' | 'status' | 'attempts'>;

/** A claimed entry: this dispatcher may send it until the lease lapses. */
export interface ClaimedNotification {
  doc: NotificationDoc;
  token: string;
}

/** The outbox's state changes, each one conditional single-document update (no transactions needed). */
export function createOutboxStore(collections: Pick<Collections, 'notifications'>) {
  const outbox = collections.notifications;
  return {
    /** Entries ready to go: pending and due, or sending under a lapsed claim (its dispatcher died). */
    async findDue(now: Date, limit: number): Promise<ClaimCandidate[]> {
      const at = now.toISOString();
      const filter: Filter<NotificationDoc> = {
        $or: [
          { status: 'pending', dueAt: { $lte: at } },
          { status: 'sending', 'claim.until': { $lte: at } },
        ],
      };
      return outbox
        .find(filter, { projection: { _id: 1, status: 1, attempts: 1 } })
        .limit(limit)
        .toArray();
    },

    /**
     * Claims one entry: pending/lapsed → sending, under a lease. Conditioned on the status and attempt count
     * read by findDue, and every claim counts an attempt, so of two racing dispatchers exactly one wins.
     */
    async claim(
      candidate: ClaimCandidate,
      now: Date,
      leaseMs: number,
      token: string,
    ): Promise<ClaimedNotification | undefined> {
      const doc = await outbox.findOneAndUpdate(
        { _id: candidate._id, status: candidate.status, attempts: candidate.attempts },
        {
          $set: {
            status: 'sending',
            claim: { token, until: new Date(now.getTime() + leaseMs).toISOString() },
            updatedAt: now.toISOString(),
          },
          $inc: { attempts: 1 },
        },
        { returnDocument: 'after' },
      );
      return doc ? { doc, token } : undefined;
    },

    /** Records the send; a no-op when the claim lapsed and another dispatcher took the entry over. */
    async markSent({ doc, token }: ClaimedNotification, subject: string, now: Date): Promise<boolean> {
      const result = await outbox.updateOne(
        { _id: doc._id, status: 'sending', 'claim.token': token },
        {
          $set: { status: 'sent', subject, sentAt: now.toISOString(), updatedAt: now.toISOString() },
          $unset: { claim: '', lastError: '' },
        },
      );
      return result.modifiedCount === 1;
    },

    /** A failed send goes back to pending, due again at `retryAt`; without one it is parked as failed. */
    async markFailed(
      { doc, token }: ClaimedNotification,
      error: string,
      now: Date,
      retryAt: Date | undefined,
      subject?: string,
    ): Promise<boolean> {
      const result = await outbox.updateOne(
        { _id: doc._id, status: 'sending', 'claim.token': token },
        {
          $set: {
            ...(retryAt ? { status: 'pending', dueAt: retryAt.toISOString() } : { status: 'failed' }),
            ...(subject === undefined ? {} : { subject }),
            lastError: error,
            updatedAt: now.toISOString(),
          },
          $unset: { claim: '' },
        },
      );
      return result.modifiedCount === 1;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
