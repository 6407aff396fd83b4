import type { Logger } from 'pino';
import type { NotificationSender } from './notification-sender';

/** Writes each notification to the log (the default: nothing leaves the machine). */
export function createLogSender(logger: Logger): NotificationSender {
  return {
    kind: 'log',
    send(message) {
      logger.info({ notification: message }, `notification ${message.event} to ${message.to.email}`);
      return Promise.resolve();
    },
  };
}
