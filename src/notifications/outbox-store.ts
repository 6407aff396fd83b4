import type { Collections } from '../db/collections';
import type { NotificationDoc } from '../db/documents';
import { upsertWithRetry } from './duplicate-key';

/** A due outbox entry as seen before claiming it: the claim only wins if nobody touched it since. */
export type ClaimCandidate = Pick<NotificationDoc, '_id' | 'status' | 'attempts'>;

/** A claimed entry: this dispatcher may send it until the lease lapses. */
export interface ClaimedNotification {
  doc: NotificationDoc;
  token: string;
}

type OutboxCollections = Pick<Collections, 'notifications' | 'notificationQueue'>;

/** When an unsent entry can next be claimed: pending at its dueAt, sending when its claim lapses. */
const nextLookAt = (doc: NotificationDoc): string | undefined =>
  doc.status === 'pending' ? doc.dueAt : doc.status === 'sending' ? doc.claim?.until : undefined;

/**
 * The outbox's state changes, each a conditional single-document update (no transactions needed). The queue
 * of hints keeps the search for due work to the unsent entries; every decision reads the outbox entry itself.
 */
export function createOutboxStore(collections: OutboxCollections) {
  const outbox = collections.notifications;
  const queue = collections.notificationQueue;

  /** Hints of finished entries are dropped; those of entries not due yet move to when they are. */
  async function tidyHints(finished: string[], later: { _id: string; dueAt: string }[]): Promise<void> {
    if (finished.length > 0) await queue.deleteMany({ _id: { $in: finished } });
    if (later.length > 0) {
      await queue.bulkWrite(
        later.map(({ _id, dueAt }) => ({ updateOne: { filter: { _id }, update: { $set: { dueAt } } } })),
        { ordered: false },
      );
    }
  }

  return {
    /** Puts (or keeps) a hint for an unsent entry; idempotent. */
    async addHint(id: string, dueAt: string): Promise<void> {
      await upsertWithRetry(() =>
        queue.updateOne({ _id: id }, { $setOnInsert: { dueAt } }, { upsert: true }),
      );
    },

    /** Entries ready to go: pending and due, or sending under a lapsed claim (its dispatcher died). */
    async findDue(now: Date, limit: number): Promise<ClaimCandidate[]> {
      const at = now.toISOString();
      const hints = await queue
        .find({ dueAt: { $lte: at } })
        .limit(limit)
        .toArray();
      if (hints.length === 0) return [];
      const docs = await outbox.find({ _id: { $in: hints.map((hint) => hint._id) } }).toArray();
      const byId = new Map(docs.map((doc) => [doc._id, doc]));
      const due: ClaimCandidate[] = [];
      const finished: string[] = [];
      const later: { _id: string; dueAt: string }[] = [];
      for (const hint of hints) {
        const doc = byId.get(hint._id);
        const lookAt = doc && nextLookAt(doc);
        if (!doc || lookAt === undefined) finished.push(hint._id);
        else if (lookAt <= at) due.push({ _id: doc._id, status: doc.status, attempts: doc.attempts });
        else later.push({ _id: hint._id, dueAt: lookAt });
      }
      await tidyHints(finished, later);
      return due;
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
      if (result.modifiedCount === 1) await queue.deleteOne({ _id: doc._id });
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
      if (result.modifiedCount === 1) {
        if (retryAt) await queue.updateOne({ _id: doc._id }, { $set: { dueAt: retryAt.toISOString() } });
        else await queue.deleteOne({ _id: doc._id });
      }
      return result.modifiedCount === 1;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
