import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../dev/project-paths';

export const NOTIFICATION_SENDERS = ['log', 'file'] as const;
export type NotificationSenderKind = (typeof NOTIFICATION_SENDERS)[number];

const Environment = z.object({
  OMS_OPS_EMAIL: z.email().default('ops@couture.example'),
  OMS_NOTIFICATION_SENDER: z.enum(NOTIFICATION_SENDERS).default('log'),
  OMS_NOTIFICATION_FILE: z.string().min(1).optional(),
  OMS_DATA_DIR: z.string().min(1).optional(),
  OMS_NOTIFICATION_POLL_MS: z.coerce.number().int().min(10).default(500),
  OMS_NOTIFICATION_LEASE_MS: z.coerce.number().int().min(100).default(60_000),
  OMS_NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  OMS_NOTIFICATION_RETRY_MS: z.coerce.number().int().min(1).default(1000),
});

/** How notifications are addressed, sent and retried. */
export interface NotificationSettings {
  opsEmail: string;
  sender: NotificationSenderKind;
  /** JSON-lines file of the file sender. */
  filePath: string;
  /** Pause between polls of the outbox when it has nothing due. */
  pollMs: number;
  /** How long a claim holds before another dispatcher may take it over (a crashed dispatcher's claim). */
  leaseMs: number;
  /** Attempts before an entry is parked as `failed`. */
  maxAttempts: number;
  /** First retry delay after a failed send; it doubles per attempt, up to five minutes. */
  retryBaseMs: number;
}

/** Reads the notification settings from the environment; a bad value is a start-up error with a plain message. */
export function loadNotificationSettings(env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return {
    opsEmail: e.OMS_OPS_EMAIL,
    sender: e.OMS_NOTIFICATION_SENDER,
    filePath:
      e.OMS_NOTIFICATION_FILE ??
      path.resolve(e.OMS_DATA_DIR ?? path.join(projectRoot, '.data'), 'notifications.jsonl'),
    pollMs: e.OMS_NOTIFICATION_POLL_MS,
    leaseMs: e.OMS_NOTIFICATION_LEASE_MS,
    maxAttempts: e.OMS_NOTIFICATION_MAX_ATTEMPTS,
    retryBaseMs: e.OMS_NOTIFICATION_RETRY_MS,
  };
}
