import type { Logger } from 'pino';
import { createFileSender } from './file-sender';
import { createLogSender } from './log-sender';
import type { NotificationSender } from './notification-sender';
import type { NotificationSettings } from './notification-settings';

/** The sender the settings name (OMS_NOTIFICATION_SENDER=log|file). */
export function createNotificationSender(
  settings: Pick<NotificationSettings, 'sender' | 'filePath'>,
  logger: Logger,
): NotificationSender {
  switch (settings.sender) {
    case 'file':
      return createFileSender(settings.filePath);
    case 'log':
      return createLogSender(logger);
  }
}
