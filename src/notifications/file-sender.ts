import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { NotificationSender } from './notification-sender';

/** Appends each notification as one JSON line to a file (a mailbox to read in development and tests). */
export function createFileSender(filePath: string): NotificationSender {
  let folderReady: Promise<unknown> | undefined;
  return {
    kind: 'file',
    async send(message) {
      folderReady ??= mkdir(path.dirname(filePath), { recursive: true }).catch((error: unknown) => {
        folderReady = undefined; // try again on the next send
        throw error;
      });
      await folderReady;
      // One write call per line, so lines of concurrent sends never interleave.
      await appendFile(filePath, `${JSON.stringify({ ...message, sentAt: new Date().toISOString() })}\n`);
    },
  };
}
