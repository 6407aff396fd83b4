import request from 'supertest';
import { orderWorkflowId } from '../../workflows/order.messages';
import { AUTH, orderBody, startGatewayHarness, type GatewayHarness } from './gateway-harness';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness('webhooks', { updateTimeoutMs: 500 });
});

afterAll(async () => {
  await gateway.close();
});

const now = '2026-03-01T10:00:00.000Z';

/** Places an order (its workflow waits, no worker) and records a parcel for it as the workflow would. */
async function orderWithParcel(): Promise<{
  orderId: string;
  fulfillmentId: string;
  trackingNumber: string;
}> {
  const orderId = gateway.newOrderId();
  await request(gateway.app).post('/v1/orders').set(AUTH.channel).send(orderBody(orderId)).expect(201);
  const fulfillmentId = `${orderId}-F1`;
  const trackingNumber = `TRK-${orderId}`;
  await gateway.collections.fulfillments.insertOne({
    _id: fulfillmentId,
    orderId,
    nodeId: 'PARIS',
    lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 2 }],
    createdAt: now,
  });
  await gateway.collections.shipments.insertOne({
    _id: trackingNumber,
    fulfillmentId,
    orderId,
    carrier: 'sim-carrier',
    labelUrl: 'https://labels.example/1',
    createdAt: now,
  });
  return { orderId, fulfillmentId, trackingNumber };
}

describe('POST /v1/fulfillments/{fulfillmentId}/ship', () => {
  it('answers 404 for a fulfilment that does not exist', async () => {
    const response = await request(gateway.app).post('/v1/fulfillments/NOPE/ship').set(AUTH.node);
    expect(response.status).toBe(404);
  });

  it('is refused to a channel key with 403', async () => {
    const response = await request(gateway.app).post('/v1/fulfillments/NOPE/ship').set(AUTH.channel);
    expect(response.status).toBe(403);
  });

  it('answers 503 when the order workflow does not answer the update in time', async () => {
    const { fulfillmentId } = await orderWithParcel();
    const response = await request(gateway.app).post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node);
    expect(response.status).toBe(503);
  });
});

describe('POST /v1/webhooks/carrier', () => {
  it('signals the order that owns the parcel and answers 202', async () => {
    const { orderId, fulfillmentId, trackingNumber } = await orderWithParcel();
    const response = await request(gateway.app)
      .post('/v1/webhooks/carrier')
      .set(AUTH.carrier)
      .send({ trackingNumber, event: 'delivered', at: now });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: true, duplicate: false, delivery: 'signalled' });
    const history = await gateway.temporal.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
    const signal = history.events?.find((event) => event.workflowExecutionSignaledEventAttributes);
    expect(signal?.workflowExecutionSignaledEventAttributes?.signalName).toBe('carrierEvent');
    const [payload] = signal?.workflowExecutionSignaledEventAttributes?.input?.payloads ?? [];
    expect(gateway.temporal.options.loadedDataConverter.payloadConverter.fromPayload(payload!)).toEqual({
      trackingNumber,
      fulfillmentId,
      event: 'delivered',
      at: now,
    });
  });

  it('acknowledges an event for an order that has ended with 202, recorded only', async () => {
    const { orderId, trackingNumber } = await orderWithParcel();
    await gateway.temporal.workflow.getHandle(orderWorkflowId(orderId)).terminate('test: the order ended');
    const response = await request(gateway.app)
      .post('/v1/webhooks/carrier')
      .set(AUTH.carrier)
      .send({ trackingNumber, event: 'delivered', at: now });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: true, duplicate: false, delivery: 'order_closed' });
  });

  it('answers 404 for a tracking number nobody issued', async () => {
    const response = await request(gateway.app)
      .post('/v1/webhooks/carrier')
      .set(AUTH.carrier)
      .send({ trackingNumber: 'TRK-UNKNOWN', event: 'in_transit', at: now });
    expect(response.status).toBe(404);
  });

  it('rejects an event type it does not know with 422', async () => {
    const response = await request(gateway.app)
      .post('/v1/webhooks/carrier')
      .set(AUTH.carrier)
      .send({ trackingNumber: 'TRK-1', event: 'lost_in_space', at: now });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('event');
  });

  it('is refused to a payment key with 403', async () => {
    const response = await request(gateway.app)
      .post('/v1/webhooks/carrier')
      .set(AUTH.payment)
      .send({ trackingNumber: 'TRK-1', event: 'delivered', at: now });
    expect(response.status).toBe(403);
  });
});

describe('POST /v1/webhooks/payment', () => {
  const event = {
    eventId: 'evt_1',
    type: 'captured',
    orderId: 'O-1',
    amountMinor: 25800,
    currency: 'EUR',
    at: now,
  };
  const send = (body: object) =>
    request(gateway.app).post('/v1/webhooks/payment').set(AUTH.payment).send(body);

  it('records an event once and answers 202', async () => {
    const response = await send(event);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: true, duplicate: false });
    const events = gateway.collections.orders.db.collection('payment_events');
    expect(await events.countDocuments({ _id: 'evt_1' } as never)).toBe(1);
  });

  it('acknowledges a redelivered event as a duplicate', async () => {
    await send({ ...event, eventId: 'evt_2' });
    const response = await send({ ...event, eventId: 'evt_2' });
    expect(response.status).toBe(202);
    expect(response.body.duplicate).toBe(true);
  });

  it('answers 409 when an event id comes back with other content', async () => {
    await send({ ...event, eventId: 'evt_3' });
    const response = await send({ ...event, eventId: 'evt_3', amountMinor: 1 });
    expect(response.status).toBe(409);
  });

  it('rejects unknown fields with 422', async () => {
    const response = await send({ ...event, eventId: 'evt_4', secret: 'x' });
    expect(response.status).toBe(422);
  });
});
