import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createNotificationSender } from '../../src/notifications/create-sender';
import type { OutgoingNotification } from '../../src/notifications/notification-sender';
import { loadNotificationSettings } from '../../src/notifications/notification-settings';
import { retryDelayMs } from '../../src/notifications/notification-dispatcher';

const message = (id: string): OutgoingNotification => ({
  id,
  orderId: 'o-1',
  event: 'delivered',
  to: { email: 'ada@example.com' },
  subject: 'Your order o-1 has been delivered',
  body: 'Hello,\n\nDelivered.\n\n— Couture',
});

describe('notification settings', () => {
  test('default to the log sender, the ops address and a file under the data folder', () => {
    const settings = loadNotificationSettings({ OMS_DATA_DIR: '/tmp/oms-data' });
    expect(settings).toMatchObject({
      sender: 'log',
      opsEmail: 'ops@couture.example',
      filePath: '/tmp/oms-data/notifications.jsonl',
      maxAttempts: 10,
    });
  });

  test('an unknown sender is a start-up error that names the variable', () => {
    expect(() => loadNotificationSettings({ OMS_NOTIFICATION_SENDER: 'smtp' })).toThrow(
      /OMS_NOTIFICATION_SENDER/,
    );
  });
});

describe('senders', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'oms-notifications-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  test('the file sender appends one JSON line per notification, creating its folder', async () => {
    const filePath = path.join(folder, 'mail', 'outbox.jsonl');
    const sender = createNotificationSender({ sender: 'file', filePath }, pino({ level: 'silent' }));
    await Promise.all([sender.send(message('a')), sender.send(message('b'))]);
    const lines = (await readFile(filePath, 'utf8')).trim().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as OutgoingNotification & { sentAt: string });
    expect(parsed.map((line) => line.id).sort()).toEqual(['a', 'b']);
    expect(parsed[0]).toMatchObject({
      subject: 'Your order o-1 has been delivered',
      to: { email: 'ada@example.com' },
    });
  });

  test('the log sender logs the message with its dedupe id', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    await createNotificationSender({ sender: 'log', filePath: '' }, logger).send(message('o-1:delivered:F1'));
    expect(JSON.parse(lines[0]!)).toMatchObject({ notification: { id: 'o-1:delivered:F1' } });
  });
});

describe('retry backoff', () => {
  test('doubles per attempt and stops growing at five minutes', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000)).toBe(300_000);
  });
});
