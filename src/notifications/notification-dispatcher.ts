import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Collections } from '../db/collections';
import type { NotificationSender } from './notification-sender';
import type { NotificationSettings } from './notification-settings';
import { createOutboxStore, type ClaimedNotification } from './outbox-store';
import { TemplateDataError } from './template-fields';
import { renderNotification } from './templates';

const MAX_RETRY_DELAY_MS = 5 * 60_000;

export interface NotificationDispatcherDeps {
  collections: Pick<Collections, 'notifications' | 'notificationQueue'>;
  sender: NotificationSender;
  logger: Logger;
  settings: Pick<NotificationSettings, 'pollMs' | 'leaseMs' | 'maxAttempts' | 'retryBaseMs'>;
  /** Entries claimed per round. Default 32. */
  batchSize?: number;
  /** The clock (tests move it to lapse leases and backoffs without waiting). */
  now?: () => Date;
}

/** Drains the notification outbox: claim due entries under a lease, render, send, record the outcome. */
export interface NotificationDispatcher {
  /** One round: claims up to a batch of due entries and sends them; answers how many it claimed. */
  runOnce(): Promise<number>;
  /** Runs rounds until stop(): at once while the outbox has a backlog, every pollMs when it is drained. */
  start(): void;
  /** Finishes the round in flight, then resolves; nothing is claimed after it. */
  stop(): Promise<void>;
}

/** Delay before retry number `attempts`: retryBaseMs doubled per failed attempt, at most five minutes. */
export function retryDelayMs(attempts: number, retryBaseMs: number): number {
  return Math.min(retryBaseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/** A send that outlives half the lease is abandoned as failed, before another dispatcher could take the entry over. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`send took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Builds a dispatcher; several (in several workers) may run against one outbox: each entry is claimed by one. */
export function createNotificationDispatcher(deps: NotificationDispatcherDeps): NotificationDispatcher {
  const { sender, logger, settings } = deps;
  const store = createOutboxStore(deps.collections);
  const batchSize = deps.batchSize ?? 32;
  const now = deps.now ?? (() => new Date());
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function deliver(claimed: ClaimedNotification): Promise<void> {
    const { doc } = claimed;
    let rendered;
    try {
      rendered = renderNotification(doc);
    } catch (error) {
      if (!(error instanceof TemplateDataError)) throw error;
      // Data the template cannot use will not improve by retrying: park it where agents see it.
      logger.error(
        { notificationId: doc._id, err: error },
        'notification cannot be rendered; parked as failed',
      );
      await store.markFailed(claimed, error.message, now(), undefined);
      return;
    }
    try {
      await withTimeout(
        sender.send({ id: doc._id, orderId: doc.orderId, event: doc.event, to: doc.to, ...rendered }),
        settings.leaseMs / 2,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = doc.attempts >= settings.maxAttempts;
      const retryAt = giveUp
        ? undefined
        : new Date(now().getTime() + retryDelayMs(doc.attempts, settings.retryBaseMs));
      logger.warn(
        { notificationId: doc._id, attempts: doc.attempts, retryAt, error: message },
        giveUp ? 'notification failed for good' : 'notification send failed; will retry',
      );
      await store.markFailed(claimed, message, now(), retryAt, rendered.subject);
      return;
    }
    const recorded = await store.markSent(claimed, rendered.subject, now());
    logger.debug({ notificationId: doc._id, sender: sender.kind, recorded }, 'notification sent');
  }

  async function runOnce(): Promise<number> {
    const candidates = await store.findDue(now(), batchSize);
    const token = randomUUID();
    const claims = await Promise.all(candidates.map((c) => store.claim(c, now(), settings.leaseMs, token)));
    const claimed = claims.filter((c): c is ClaimedNotification => c !== undefined);
    await Promise.all(
      claimed.map((c) =>
        deliver(c).catch((error: unknown) => {
          // The claim lapses and another round retakes it.
          logger.warn({ notificationId: c.doc._id, err: error }, 'notification outcome not recorded');
        }),
      ),
    );
    return claimed.length;
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function run(): Promise<void> {
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (error) {
        logger.warn({ err: error }, 'notification round failed; retrying after the poll interval');
      }
      if (claimed < batchSize && !stopping) await pause(settings.pollMs);
    }
  }

  return {
    runOnce,
    start() {
      stopping = false;
      loop ??= run().finally(() => {
        loop = undefined;
      });
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
