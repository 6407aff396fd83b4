import { NativeConnection, bundleWorkflowCode, DefaultLogger, type Worker } from '@temporalio/worker';
import request from 'supertest';
import { createActivities } from '../../activities';
import { createSimulatedCarrier } from '../../src/carriers/simulated-carrier';
import type { FulfillmentStatus } from '../../src/domain/order-view';
import { createSimulatedPaymentGateway } from '../../src/payments/simulated-payment-gateway';
import { createOrderWorker } from '../../src/worker/create-order-worker';
import {
  fulfillmentWorkflowId,
  getFulfillmentQuery,
  holdSignal,
  type FulfillmentWorkflowInput,
  type ReportedFulfillmentView,
} from '../../workflows/fulfillment.messages';
import { installQuietRuntime } from '../support/quiet-temporal';
import { temporalAddress } from '../support/servers';
import { waitFor } from '../workflow/support/fulfillment-test-env';
import { receivedViewsQuery } from '../workflow/support/fulfillment-test-workflows';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

// The fulfilment routes against real fulfilment child workflows (started by a stand-in parent) on the
// suite's Temporal server, with the real carrier activities over this file's database.
let gateway: GatewayHarness;
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const started: string[] = [];
let counter = 0;
const now = '2026-03-03T10:00:00.000Z';
const ADDRESS = {
  line1: '1 rue de Rivoli',
  city: 'Paris',
  postalCode: '75001',
  country: 'FR',
  lat: 48.86,
  lon: 2.35,
};

beforeAll(async () => {
  installQuietRuntime();
  gateway = await startGatewayHarness('fulfillment_routes', { updateTimeoutMs: 15_000 });
  connection = await NativeConnection.connect({ address: temporalAddress() });
  worker = await createOrderWorker({
    connection,
    taskQueue: gateway.config.taskQueue,
    activities: createActivities({
      collections: gateway.collections,
      payment: createSimulatedPaymentGateway({ ledger: gateway.collections.inventory.db.collection('pay') }),
      carrier: createSimulatedCarrier({ latencyMs: { min: 0, max: 2 } }),
      config: gateway.config,
    }),
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflow/support/fulfillment-test-workflows'),
      logger: new DefaultLogger('ERROR'),
    }),
  });
  running = worker.run();
  const lyon = {
    name: 'Lyon',
    type: 'warehouse',
    location: { lat: 45.764, lon: 4.8357, postalCode: '69001', country: 'FR' },
    capabilities: ['ship', 'pickup'],
  };
  expect((await request(gateway.app).put('/v1/nodes/WH-LYON').set(AUTH.admin).send(lyon)).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(
    started.map((id) => gateway.temporal.workflow.getHandle(id).terminate('HTTP test finished')),
  );
  worker.shutdown();
  await running;
  await connection.close();
  await gateway.close();
}, 60_000);

const api = () => request(gateway.app);

/** A fulfilment recorded as the v2 order records it, with its child running under a stand-in parent. */
async function startFulfillment(method: 'ship' | 'pickup' = 'ship', onHold = false) {
  const orderId = `fr-${Date.now().toString(36)}-${++counter}`;
  const fulfillmentId = `${orderId}-F1`;
  const lines = [{ lineId: 'l1', sku: 'SKU-1', quantity: 2, reservationKey: `${orderId}:l1:WH-LYON` }];
  await gateway.collections.fulfillments.insertOne({
    _id: fulfillmentId,
    orderId,
    nodeId: 'WH-LYON',
    lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
    workflowId: fulfillmentWorkflowId(fulfillmentId),
    method,
    createdAt: now,
  });
  const input: Omit<FulfillmentWorkflowInput, 'parentWorkflowId'> = {
    orderId,
    fulfillmentId,
    nodeId: 'WH-LYON',
    method,
    lines,
    ...(method === 'ship' ? { address: ADDRESS } : {}),
    onHold,
    simulation: 'manual',
  };
  const parentId = `parent:${fulfillmentId}`;
  started.push(parentId, fulfillmentWorkflowId(fulfillmentId));
  await gateway.temporal.workflow.start('fulfillmentTestParent', {
    workflowId: parentId,
    taskQueue: gateway.config.taskQueue,
    args: [input],
  });
  const child = gateway.temporal.workflow.getHandle(fulfillmentWorkflowId(fulfillmentId));
  await waitFor(() =>
    child.query(getFulfillmentQuery).then(
      () => true,
      () => false,
    ),
  );
  return { fulfillmentId, child };
}

const statusOf = async (fulfillmentId: string): Promise<FulfillmentStatus> =>
  (await gateway.temporal.workflow.getHandle(fulfillmentWorkflowId(fulfillmentId)).query(getFulfillmentQuery))
    .status;

describe('unknown fulfilments', () => {
  it.each(['ship', 'ready', 'picked-up'])('POST …/%s answers 404', async (step) => {
    const response = await api().post(`/v1/fulfillments/NOPE/${step}`).set(AUTH.node);
    expect(response.status).toBe(404);
  });

  it('POST …/reject answers 404', async () => {
    const response = await api().post('/v1/fulfillments/NOPE/reject').set(AUTH.node).send({ reason: 'gone' });
    expect(response.status).toBe(404);
  });
});

describe('POST /v1/fulfillments/{fulfillmentId}/ship on a fulfilment child', () => {
  it('books the carrier and answers the tracking number with the expected delivery date', async () => {
    const { fulfillmentId } = await startFulfillment();
    const response = await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      fulfillmentId,
      carrier: 'SIMPOST',
      trackingNumber: expect.stringMatching(/^SIM\d{12}$/) as string,
      expectedDeliveryDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as string,
    });
    const shipment = await gateway.collections.shipments.findOne({ _id: response.body.trackingNumber });
    expect(shipment).toMatchObject({ fulfillmentId, workflowId: fulfillmentWorkflowId(fulfillmentId) });
    expect(await statusOf(fulfillmentId)).toBe('shipped');
  });

  it('answers 409 already-shipped to a second request', async () => {
    const { fulfillmentId } = await startFulfillment();
    await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node).expect(200);
    const again = await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.admin);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/already-shipped');
  });

  it('answers 409 order-on-hold while the order is held', async () => {
    const { fulfillmentId, child } = await startFulfillment('ship', true);
    const held = await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node);
    expect(held.status).toBe(409);
    expect(held.body.type).toBe('/problems/order-on-hold');
    await child.signal(holdSignal, { onHold: false });
    await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node).expect(200);
  });

  it('answers 409 wrong-fulfillment-method for a pickup fulfilment', async () => {
    const { fulfillmentId } = await startFulfillment('pickup');
    const response = await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node);
    expect(response.status).toBe(409);
    expect(response.body.type).toBe('/problems/wrong-fulfillment-method');
  });
});

describe('click-and-collect: POST …/ready and …/picked-up', () => {
  it('makes the parcel ready with its pickup deadline, then records the collection', async () => {
    const { fulfillmentId } = await startFulfillment('pickup');
    const early = await api().post(`/v1/fulfillments/${fulfillmentId}/picked-up`).set(AUTH.node);
    expect(early.status).toBe(409);
    expect(early.body.type).toBe('/problems/invalid-fulfillment-state');

    const ready = await api().post(`/v1/fulfillments/${fulfillmentId}/ready`).set(AUTH.node);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ fulfillmentId, status: 'ready_for_pickup', method: 'pickup' });
    const windowDays = (Date.parse(ready.body.pickupBy) - Date.now()) / 86_400_000;
    expect(windowDays).toBeGreaterThan(6.9);
    expect(windowDays).toBeLessThan(7.1);

    const collected = await api().post(`/v1/fulfillments/${fulfillmentId}/picked-up`).set(AUTH.admin);
    expect(collected.status).toBe(200);
    expect(collected.body.status).toBe('picked_up');
  });

  it('answers 409 wrong-fulfillment-method when a parcel is marked ready', async () => {
    const { fulfillmentId } = await startFulfillment('ship');
    const response = await api().post(`/v1/fulfillments/${fulfillmentId}/ready`).set(AUTH.node);
    expect(response.status).toBe(409);
    expect(response.body.type).toBe('/problems/wrong-fulfillment-method');
  });

  it('answers 409 fulfillment-closed once the child has ended', async () => {
    const { fulfillmentId } = await startFulfillment('pickup');
    await api().post(`/v1/fulfillments/${fulfillmentId}/ready`).set(AUTH.node).expect(200);
    await api().post(`/v1/fulfillments/${fulfillmentId}/picked-up`).set(AUTH.node).expect(200);
    const handle = gateway.temporal.workflow.getHandle(fulfillmentWorkflowId(fulfillmentId));
    await handle.result();
    const again = await api().post(`/v1/fulfillments/${fulfillmentId}/picked-up`).set(AUTH.node);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/fulfillment-closed');
  });

  it('answers 409 for a fulfilment of a v1 order, which has no pickup steps', async () => {
    const fulfillmentId = `v1-${Date.now().toString(36)}-F1`;
    await gateway.collections.fulfillments.insertOne({
      _id: fulfillmentId,
      orderId: 'v1-order',
      nodeId: 'WH-LYON',
      lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 1 }],
      createdAt: now,
    });
    const response = await api().post(`/v1/fulfillments/${fulfillmentId}/ready`).set(AUTH.node);
    expect(response.status).toBe(409);
  });

  it('is refused to a channel key with 403', async () => {
    const response = await api().post('/v1/fulfillments/NOPE/ready').set(AUTH.channel);
    expect(response.status).toBe(403);
  });
});

describe('POST /v1/fulfillments/{fulfillmentId}/reject', () => {
  it('ends the fulfilment rejected with the reason', async () => {
    const { fulfillmentId } = await startFulfillment();
    const response = await api()
      .post(`/v1/fulfillments/${fulfillmentId}/reject`)
      .set(AUTH.node)
      .send({ reason: 'not on the shelf' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ fulfillmentId, status: 'rejected', reason: 'not on the shelf' });
  });

  it('answers 409 already-shipped once the parcel has left', async () => {
    const { fulfillmentId } = await startFulfillment();
    await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node).expect(200);
    const response = await api()
      .post(`/v1/fulfillments/${fulfillmentId}/reject`)
      .set(AUTH.node)
      .send({ reason: 'too late' });
    expect(response.status).toBe(409);
    expect(response.body.type).toBe('/problems/already-shipped');
  });

  it('requires a reason (422)', async () => {
    const response = await api().post('/v1/fulfillments/NOPE/reject').set(AUTH.node).send({});
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('reason');
  });
});

describe('POST /v1/webhooks/carrier for a parcel of a fulfilment child', () => {
  const carrierEvents = () => gateway.collections.orders.db.collection('carrier_events');

  /** Ships a fresh fulfilment and answers a sender of carrier events for its parcel. */
  async function shippedParcel() {
    const { fulfillmentId, child } = await startFulfillment();
    const shipped = await api().post(`/v1/fulfillments/${fulfillmentId}/ship`).set(AUTH.node).expect(200);
    const trackingNumber: string = shipped.body.trackingNumber;
    const event = (name: string, at = now) =>
      api().post('/v1/webhooks/carrier').set(AUTH.carrier).send({ trackingNumber, event: name, at });
    return { fulfillmentId, child, trackingNumber, event };
  }

  const signalsIn = async (workflowId: string): Promise<number> =>
    ((await gateway.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'carrierEvent',
    ).length;

  it('signals the child, which follows the parcel to delivery', async () => {
    const { fulfillmentId, child, event } = await shippedParcel();
    const inTransit = await event('in_transit');
    expect(inTransit.status).toBe(202);
    expect(inTransit.body).toEqual({ accepted: true, duplicate: false, delivery: 'signalled' });
    await waitFor(async () => (await statusOf(fulfillmentId)) === 'in_transit');
    expect((await event('delivered')).status).toBe(202);
    expect((await child.result()).status).toBe('delivered');
  });

  it('acknowledges a late event for a closed fulfilment with 202 and records it as changing nothing', async () => {
    const { fulfillmentId, child, trackingNumber, event } = await shippedParcel();
    await event('delivered').expect(202);
    await child.result();
    const late = await event('in_transit', '2026-03-04T08:00:00.000Z');
    expect(late.status).toBe(202);
    expect(late.body).toEqual({ accepted: true, duplicate: false, delivery: 'fulfillment_closed' });
    expect(await carrierEvents().findOne({ trackingNumber, event: 'in_transit' } as never)).toMatchObject({
      fulfillmentId,
      delivery: 'fulfillment_closed',
      actor: expect.stringMatching(/^carrier:/),
      expireAt: expect.any(Date), // kept 90 days for redeliveries, then dropped by the TTL index
    });
    expect(await statusOf(fulfillmentId)).toBe('delivered');
  });

  it('answers a repeated event as a duplicate without signalling the child again', async () => {
    const { fulfillmentId, event } = await shippedParcel();
    await event('in_transit').expect(202);
    const again = await event('in_transit', '2026-03-03T12:00:00+02:00'); // the same instant, another offset
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ accepted: true, duplicate: true, delivery: 'signalled' });
    expect(await signalsIn(fulfillmentWorkflowId(fulfillmentId))).toBe(1);
  });

  it("passes the carrier's API key to the child, which names it to the order", async () => {
    const { fulfillmentId, event } = await shippedParcel();
    await event('in_transit').expect(202);
    const parent = gateway.temporal.workflow.getHandle(`parent:${fulfillmentId}`);
    await waitFor(async () => (await parent.query(receivedViewsQuery)).at(-1)?.status === 'in_transit');
    const views = (await parent.query(receivedViewsQuery)) as ReportedFulfillmentView[];
    expect(views.map((v) => [v.status, v.actor])).toEqual([
      ['shipped', expect.stringMatching(/^node:/)],
      ['in_transit', expect.stringMatching(/^carrier:/)],
    ]);
  });

  it('answers 404 for a tracking number nobody issued (the carrier retries; nothing is recorded)', async () => {
    const response = await api()
      .post('/v1/webhooks/carrier')
      .set(AUTH.carrier)
      .send({ trackingNumber: 'SIM-NEVER-ISSUED', event: 'delivered', at: now });
    expect(response.status).toBe(404);
    expect(await carrierEvents().countDocuments({ trackingNumber: 'SIM-NEVER-ISSUED' } as never)).toBe(0);
  });
});
