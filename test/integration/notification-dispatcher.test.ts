import pino from 'pino';
import { createNotificationActivities } from '../../activities/notification.activities';
import type { ActivityDeps } from '../../activities/deps';
import type { Collections } from '../../src/db/collections';
import type { NotificationRequest } from '../../src/notifications/notification-events';
import {
  createNotificationDispatcher,
  type NotificationDispatcherDeps,
} from '../../src/notifications/notification-dispatcher';
import type { NotificationSender, OutgoingNotification } from '../../src/notifications/notification-sender';
import { createOutboxStore } from '../../src/notifications/outbox-store';
import {
  crashingCollections,
  openInventoryDb,
  SimulatedCrash,
  type InventoryDb,
} from './support/inventory-db';

const SETTINGS = { pollMs: 20, leaseMs: 60_000, maxAttempts: 3, retryBaseMs: 1000 };
const logger = pino({ level: 'silent' });
let db: InventoryDb;
let orderSeq = 0;

// Each test gets an outbox of its own, so one test's entries never reach another's dispatcher.
beforeEach(async () => {
  db = await openInventoryDb('notification_dispatcher', 2);
});
afterEach(() => db.close());

/**
 * A sender that records what it was handed; `fail` decides per call whether it throws instead.
 * `before` runs ahead of each send, so a test can hold one sender back until another has worked.
 */
function recordingSender(
  fail: (message: OutgoingNotification, call: number) => boolean = () => false,
  before: () => Promise<void> = () => Promise.resolve(),
) {
  const sent: OutgoingNotification[] = [];
  let calls = 0;
  const sender: NotificationSender = {
    kind: 'test',
    async send(message) {
      calls += 1;
      await before();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
      if (fail(message, calls)) throw new Error('mail provider unavailable');
      sent.push(message);
    },
  };
  return { sender, sent, calls: () => calls };
}

/** A clock tests move by hand, so leases and backoffs lapse without waiting. */
function manualClock(start = Date.parse('2026-03-01T10:00:00Z')) {
  let at = start;
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}

const enqueue = (collections: Collections = db.collections) =>
  createNotificationActivities({ collections } as ActivityDeps, { opsEmail: 'ops@test.example' })
    .enqueueNotification;

const request = (overrides: Partial<NotificationRequest> = {}): NotificationRequest => ({
  orderId: `o-${++orderSeq}`,
  event: 'shipped',
  subject: 'F1',
  to: { email: 'ada@example.com', name: 'Ada' },
  data: { carrier: 'SIMCARRIER', trackingNumber: 'TRK-1' },
  ...overrides,
});

const dispatcher = (deps: Partial<NotificationDispatcherDeps> & Pick<NotificationDispatcherDeps, 'sender'>) =>
  createNotificationDispatcher({ collections: db.collections, logger, settings: SETTINGS, ...deps });

const outboxEntry = (id: string) => db.collections.notifications.findOne({ _id: id });

describe('the outbox', () => {
  test('an enqueue repeated for the same order, event and subject is stored once', async () => {
    const req = request();
    expect(await enqueue()(req)).toBe('queued');
    expect(await enqueue()(req)).toBe('duplicate');
    expect(await db.collections.notifications.countDocuments({ orderId: req.orderId })).toBe(1);
    expect(await outboxEntry(`${req.orderId}:shipped:F1`)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  test('the same event for another subject is a notification of its own', async () => {
    const req = request();
    expect(await enqueue()(req)).toBe('queued');
    expect(await enqueue()({ ...req, subject: 'F2' })).toBe('queued');
    expect(await db.collections.notifications.countDocuments({ orderId: req.orderId })).toBe(2);
  });

  test('an escalated hold is addressed to operations, not to the customer', async () => {
    const req = request({ event: 'hold_escalated', subject: undefined, data: { heldSince: '2026-03-01' } });
    await enqueue()(req);
    expect((await outboxEntry(`${req.orderId}:hold_escalated:`))?.to.email).toBe('ops@test.example');
  });
  test('an enqueue that crashed after the outbox write is completed by its retry, and then sent', async () => {
    const req = request();
    const crashing = crashingCollections(db.collections, 'notificationQueue', 'updateOne');
    await expect(enqueue(crashing)(req)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await enqueue()(req)).toBe('duplicate');
    const { sender, sent } = recordingSender();
    await dispatcher({ sender }).runOnce();
    expect(sent.map((m) => m.id)).toEqual([`${req.orderId}:shipped:F1`]);
  });

  test('a repeat of an enqueue after its notification was sent sends nothing more', async () => {
    const req = request();
    await enqueue()(req);
    const { sender, sent } = recordingSender();
    const d = dispatcher({ sender });
    await d.runOnce();
    expect(await enqueue()(req)).toBe('duplicate');
    expect(await d.runOnce()).toBe(0);
    expect(sent).toHaveLength(1);
    expect(await db.collections.notificationQueue.countDocuments()).toBe(0);
  });
});

describe('the dispatcher', () => {
  test('two dispatchers racing over 200 notifications send each exactly once', async () => {
    const orderIds = Array.from({ length: 200 }, () => request().orderId);
    await Promise.all(orderIds.map((orderId) => enqueue()(request({ orderId }))));
    // The first sender waits until the second has sent once (or 5 s), so both really race on a
    // loaded machine instead of the first draining the outbox before the second's first claim.
    const second = recordingSender();
    const secondHasSent = async () => {
      for (const until = Date.now() + 5_000; second.sent.length === 0 && Date.now() < until; ) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const first = recordingSender(undefined, secondHasSent);
    const racers = [
      dispatcher({ sender: first.sender, batchSize: 16 }),
      dispatcher({ sender: second.sender, batchSize: 16, collections: db.handles[1] as Collections }),
    ];
    racers.forEach((racer) => racer.start());
    const ids = orderIds.map((orderId) => `${orderId}:shipped:F1`);
    const deadline = Date.now() + 30_000;
    while ((await db.collections.notifications.countDocuments({ _id: { $in: ids }, status: 'sent' })) < 200) {
      if (Date.now() > deadline) throw new Error('the dispatchers did not drain the outbox in 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all(racers.map((racer) => racer.stop()));

    const sentIds = [...first.sent, ...second.sent].map((message) => message.id);
    expect(sentIds).toHaveLength(200);
    expect(new Set(sentIds).size).toBe(200);
    expect(first.sent.length).toBeGreaterThan(0);
    expect(second.sent.length).toBeGreaterThan(0);
    const docs = await db.collections.notifications.find({ _id: { $in: ids } }).toArray();
    expect(docs.every((doc) => doc.attempts === 1 && doc.sentAt && doc.claim === undefined)).toBe(true);
  });

  test('the sender gets the rendered message with the outbox id as its dedupe key', async () => {
    const req = request();
    await enqueue()(req);
    const { sender, sent } = recordingSender();
    await dispatcher({ sender }).runOnce();
    const [message] = sent;
    expect(message).toMatchObject({
      id: `${req.orderId}:shipped:F1`,
      to: { email: 'ada@example.com', name: 'Ada' },
      subject: `Your order ${req.orderId} is on its way`,
    });
    expect(message?.body).toContain('TRK-1');
    expect(await outboxEntry(`${req.orderId}:shipped:F1`)).toMatchObject({
      status: 'sent',
      subject: `Your order ${req.orderId} is on its way`,
    });
  });

  test('a failed send is retried after a backoff and then recorded as sent', async () => {
    const req = request();
    const id = `${req.orderId}:shipped:F1`;
    await enqueue()(req);
    const clock = manualClock(Date.now());
    const flaky = recordingSender((_message, call) => call === 1);
    const d = dispatcher({ sender: flaky.sender, now: clock.now });

    await d.runOnce();
    expect(await outboxEntry(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'mail provider unavailable',
    });
    await d.runOnce();
    expect(flaky.calls()).toBe(1); // not due yet: the backoff holds it back

    clock.advance(SETTINGS.retryBaseMs);
    await d.runOnce();
    const entry = await outboxEntry(id);
    expect(entry).toMatchObject({ status: 'sent', attempts: 2 });
    expect(entry?.lastError).toBeUndefined();
    expect(flaky.sent.map((m) => m.id)).toEqual([id]);
  });

  test('a notification that keeps failing is parked as failed after the last attempt', async () => {
    const req = request();
    const id = `${req.orderId}:shipped:F1`;
    await enqueue()(req);
    const clock = manualClock(Date.now());
    const broken = recordingSender(() => true);
    const d = dispatcher({ sender: broken.sender, now: clock.now });
    for (let attempt = 0; attempt < SETTINGS.maxAttempts + 2; attempt++) {
      await d.runOnce();
      clock.advance(10 * 60_000);
    }
    expect(broken.calls()).toBe(SETTINGS.maxAttempts);
    expect(await outboxEntry(id)).toMatchObject({ status: 'failed', attempts: SETTINGS.maxAttempts });
  });

  test('a notification whose data the template cannot use fails at once, naming the field', async () => {
    const req = request({ data: { carrier: 'SIMCARRIER' } });
    await enqueue()(req);
    const { sender, sent } = recordingSender();
    await dispatcher({ sender }).runOnce();
    expect(sent).toEqual([]);
    expect(await outboxEntry(`${req.orderId}:shipped:F1`)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'notification "shipped" cannot be rendered: data.trackingNumber is missing',
    });
  });

  test('a claim abandoned by a crashed dispatcher is retaken once its lease lapses', async () => {
    const req = request();
    const id = `${req.orderId}:shipped:F1`;
    await enqueue()(req);
    const clock = manualClock(Date.now());
    // The crashed dispatcher got as far as claiming the entry, then died before sending.
    const store = createOutboxStore(db.collections);
    const [candidate] = await store.findDue(clock.now(), 10);
    expect(await store.claim(candidate!, clock.now(), SETTINGS.leaseMs, 'crashed')).toBeDefined();

    const { sender, sent } = recordingSender();
    const survivor = dispatcher({ sender, now: clock.now });
    await survivor.runOnce();
    expect(sent).toEqual([]);
    expect(await outboxEntry(id)).toMatchObject({ status: 'sending', claim: { token: 'crashed' } });

    clock.advance(SETTINGS.leaseMs);
    await survivor.runOnce();
    expect(sent.map((m) => m.id)).toEqual([id]);
    expect(await outboxEntry(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  test('stop ends the loop promptly and nothing is claimed afterwards', async () => {
    const { sender } = recordingSender();
    const d = dispatcher({ sender, settings: { ...SETTINGS, pollMs: 60_000 } });
    d.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await d.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    const req = request();
    await enqueue()(req);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await outboxEntry(`${req.orderId}:shipped:F1`)).toMatchObject({ status: 'pending' });
  });
});
