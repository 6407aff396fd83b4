import pino from 'pino';
import request from 'supertest';
import type { OrderDoc } from '../../src/db/documents';
import { enqueueNotificationEntry } from '../../src/notifications/enqueue-notification';
import { createNotificationDispatcher } from '../../src/notifications/notification-dispatcher';
import type { NotificationRequest } from '../../src/notifications/notification-events';
import { AUTH, orderBody, startGatewayHarness, type GatewayHarness } from './gateway-harness';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness('order_notifications');
});
afterAll(() => gateway.close());

const list = (orderId: string, auth: Record<string, string> = AUTH.agent) =>
  request(gateway.app).get(`/v1/orders/${orderId}/notifications`).set(auth);

const customer = { email: 'ada@example.com', name: 'Ada' };
const enqueue = (req: NotificationRequest, at: string) =>
  enqueueNotificationEntry(gateway.collections, req, 'ops@test.example', new Date(at));

/** Sends whatever is due in the harness's outbox, as the worker's dispatcher would. */
const dispatchDue = () =>
  createNotificationDispatcher({
    collections: gateway.collections,
    sender: { kind: 'test', send: () => Promise.resolve() },
    logger: pino({ level: 'silent' }),
    settings: { pollMs: 50, leaseMs: 60_000, maxAttempts: 3, retryBaseMs: 1000 },
  }).runOnce();

describe('GET /v1/orders/{orderId}/notifications', () => {
  it('lists what the order told its customer, oldest first, sent or still pending', async () => {
    const orderId = gateway.newOrderId();
    await enqueue(
      { orderId, event: 'order_confirmed', to: customer, data: { totalMinor: 32900, currency: 'EUR' } },
      '2026-03-01T10:00:00Z',
    );
    await dispatchDue();
    await enqueue(
      { orderId, event: 'shipped', subject: `${orderId}-F1`, to: customer, data: { carrier: 'SIMCARRIER' } },
      '2026-03-02T10:00:00Z',
    );

    const response = await list(orderId);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      orderId,
      items: [
        {
          id: `${orderId}:order_confirmed:`,
          event: 'order_confirmed',
          status: 'sent',
          to: customer,
          subject: `Your order ${orderId} is confirmed`,
          attempts: 1,
          createdAt: '2026-03-01T10:00:00.000Z',
          sentAt: expect.any(String),
        },
        {
          id: `${orderId}:shipped:${orderId}-F1`,
          event: 'shipped',
          status: 'pending',
          to: customer,
          attempts: 0,
          createdAt: '2026-03-02T10:00:00.000Z',
        },
      ],
    });
  });

  it('shows why a notification could not be sent', async () => {
    const orderId = gateway.newOrderId();
    await enqueue(
      { orderId, event: 'refunded', to: customer, data: { amountMinor: 500 } },
      '2026-03-01T10:00:00Z',
    );
    await dispatchDue();
    const [item] = (await list(orderId)).body.items as { status: string; lastError: string }[];
    expect(item).toMatchObject({
      status: 'failed',
      lastError: 'notification "refunded" cannot be rendered: data.currency is missing',
    });
  });

  it('answers an empty list for an order that has not notified anyone yet', async () => {
    const orderId = gateway.newOrderId();
    await gateway.collections.orders.insertOne({ _id: orderId } as OrderDoc);
    expect((await list(orderId)).body).toEqual({ orderId, items: [] });
  });

  it('answers an empty list for an order whose workflow has not published a view yet', async () => {
    const orderId = gateway.newOrderId();
    await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(orderBody(orderId)).expect(201);
    expect((await list(orderId)).body).toEqual({ orderId, items: [] });
  });

  it('answers 404 for an order that does not exist', async () => {
    const response = await list(gateway.newOrderId());
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('is for agents and admins only', async () => {
    const orderId = gateway.newOrderId();
    expect((await list(orderId, AUTH.admin)).status).toBe(404);
    expect((await list(orderId, AUTH.channel)).status).toBe(403);
    expect((await list(orderId, AUTH.carrier)).status).toBe(403);
  });
});
