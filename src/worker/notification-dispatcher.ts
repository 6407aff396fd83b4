import type { Logger } from 'pino';
import type { Collections } from '../db/collections';
import { createNotificationSender } from '../notifications/create-sender';
import {
  createNotificationDispatcher,
  type NotificationDispatcher,
} from '../notifications/notification-dispatcher';
import { loadNotificationSettings } from '../notifications/notification-settings';

/** Starts the worker's notification dispatcher with the configured sender; stop() it before closing the database. */
export function startNotificationDispatcher(
  collections: Collections,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): NotificationDispatcher {
  const settings = loadNotificationSettings(env);
  const log = logger.child({ component: 'notifications' });
  const dispatcher = createNotificationDispatcher({
    collections,
    sender: createNotificationSender(settings, log),
    logger: log,
    settings,
  });
  dispatcher.start();
  log.info(
    { sender: settings.sender, ...(settings.sender === 'file' ? { file: settings.filePath } : {}) },
    'notification dispatcher started',
  );
  return dispatcher;
}
