import request from 'supertest';
import type { OrderDoc } from '../../src/db/documents';
import { createOrderView } from '../../src/domain/order-state';
import { OrderRequest } from '../../src/domain/order-request';
import { orderWorkflowId } from '../../workflows/order.messages';
import { AUTH, orderBody, startGatewayHarness, type GatewayHarness } from './gateway-harness';

// No worker polls the harness's task queue: started orders wait in Temporal, which is all these tests need.
let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGatewayHarness('orders');
});

afterAll(async () => {
  await gateway.close();
});

/** How many runs Temporal holds for an order's workflow id (visibility may lag a moment behind). */
async function countRuns(orderId: string, atLeast = 1): Promise<number> {
  const query = `WorkflowId = '${orderWorkflowId(orderId)}'`;
  let runs = 0;
  for (let attempt = 0; attempt < 20; attempt++) {
    runs = 0;
    for await (const _run of gateway.temporal.workflow.list({ query })) runs += 1;
    if (runs >= atLeast) return runs;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return runs;
}

const postOrder = (body: object, auth: Record<string, string> = AUTH.channel) =>
  request(gateway.app).post('/v1/orders').set(auth).send(body);

describe('POST /v1/orders', () => {
  it('starts the order workflow and answers 201 with Location and the received order', async () => {
    const orderId = gateway.newOrderId();
    const response = await postOrder(orderBody(orderId));
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/v1/orders/${orderId}`);
    expect(response.body).toMatchObject({ orderId, status: 'received', totalMinor: 25800 });
    const description = await gateway.temporal.workflow.getHandle(orderWorkflowId(orderId)).describe();
    expect(description.type).toBe('orderWorkflow');
    expect(description.taskQueue).toBe(gateway.config.taskQueue);
  });

  it('hands the workflow the validated order, its hash, the simulation mode and the actor', async () => {
    const orderId = gateway.newOrderId();
    await postOrder(orderBody(orderId));
    const handle = gateway.temporal.workflow.getHandle(orderWorkflowId(orderId));
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const [input] = await Promise.all(
      (started?.input?.payloads ?? []).map((payload) =>
        gateway.temporal.options.loadedDataConverter.payloadConverter.fromPayload(payload),
      ),
    );
    expect(input).toMatchObject({
      order: OrderRequest.parse(orderBody(orderId)),
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      simulation: 'manual',
      actor: expect.stringMatching(/^channel:key-/),
    });
  });

  it('sets the search attributes so the order can be found in the Temporal UI', async () => {
    const orderId = gateway.newOrderId();
    await postOrder(orderBody(orderId));
    const description = await gateway.temporal.workflow.getHandle(orderWorkflowId(orderId)).describe();
    expect(description.searchAttributes).toMatchObject({
      OrderId: [orderId],
      CustomerId: ['cust-1'],
      Channel: ['web'],
      OrderStatus: ['received'],
    });
  });

  it('answers 200 with the same order for the same body again, and starts no second workflow', async () => {
    const orderId = gateway.newOrderId();
    const first = await postOrder(orderBody(orderId));
    const second = await postOrder(orderBody(orderId));
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await countRuns(orderId)).toBe(1);
  });

  it('treats the same body with keys in another order as the same order', async () => {
    const orderId = gateway.newOrderId();
    await postOrder(orderBody(orderId));
    const reordered = Object.fromEntries(Object.entries(orderBody(orderId)).reverse());
    const response = await postOrder(reordered);
    expect(response.status).toBe(200);
  });

  it('answers 409 for the same orderId with another body', async () => {
    const orderId = gateway.newOrderId();
    await postOrder(orderBody(orderId));
    const response = await postOrder({ ...orderBody(orderId), currency: 'USD' });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await countRuns(orderId)).toBe(1);
  });

  it('gives two identical concurrent POSTs the same order from one workflow', async () => {
    const orderId = gateway.newOrderId();
    const answers = await Promise.all([postOrder(orderBody(orderId)), postOrder(orderBody(orderId))]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
    expect(answers[0]?.body).toEqual(answers[1]?.body);
    expect(await countRuns(orderId)).toBe(1);
  });

  it('lets an agent place an order too', async () => {
    const response = await postOrder(orderBody(gateway.newOrderId()), AUTH.agent);
    expect(response.status).toBe(201);
  });
});

/** A read-model document as the workflow's read-model activity writes it. */
function readModelDoc(orderId: string, createdAt: string, overrides: Partial<OrderDoc> = {}): OrderDoc {
  const view = createOrderView(OrderRequest.parse(orderBody(orderId)), createdAt);
  return {
    ...view,
    _id: orderId,
    customerId: view.customer.id,
    email: view.customer.email,
    requestHash: 'h',
    ...overrides,
  };
}

describe('GET /v1/orders/{orderId}', () => {
  it('answers 404 for an order nobody placed', async () => {
    const response = await request(gateway.app).get('/v1/orders/never-placed').set(AUTH.agent);
    expect(response.status).toBe(404);
  });

  it('falls back to the read model when the workflow cannot answer, without Mongo-only fields', async () => {
    const orderId = gateway.newOrderId();
    await gateway.collections.orders.insertOne(
      readModelDoc(orderId, '2026-01-01T00:00:00.000Z', { status: 'confirmed' }),
    );
    const response = await request(gateway.app).get(`/v1/orders/${orderId}`).set(AUTH.agent);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ orderId, status: 'confirmed' });
    expect(response.body).not.toHaveProperty('_id');
    expect(response.body).not.toHaveProperty('requestHash');
  });

  it('answers 503 when the order exists but neither its workflow nor the read model can answer', async () => {
    const orderId = gateway.newOrderId();
    await postOrder(orderBody(orderId));
    const response = await request(gateway.app).get(`/v1/orders/${orderId}`).set(AUTH.agent);
    expect(response.status).toBe(503);
  });
});

describe('GET /v1/orders', () => {
  const customerId = 'list-customer';
  const ids = ['list-a', 'list-b', 'list-c', 'list-d', 'list-e'];

  beforeAll(async () => {
    await gateway.collections.orders.insertMany(
      ids.map((orderId, index) =>
        readModelDoc(orderId, `2026-02-0${index + 1}T00:00:00.000Z`, {
          customerId,
          status: index % 2 === 0 ? 'confirmed' : 'shipped',
        }),
      ),
    );
  });

  it('lists newest first', async () => {
    const response = await request(gateway.app).get(`/v1/orders?customerId=${customerId}`).set(AUTH.agent);
    expect(response.status).toBe(200);
    expect(response.body.items.map((order: { orderId: string }) => order.orderId)).toEqual(
      [...ids].reverse(),
    );
  });

  it('filters by status', async () => {
    const response = await request(gateway.app)
      .get(`/v1/orders?customerId=${customerId}&status=shipped`)
      .set(AUTH.agent);
    expect(response.body.items.map((order: { orderId: string }) => order.orderId)).toEqual([
      'list-d',
      'list-b',
    ]);
  });

  it('pages with an opaque cursor until there is no nextCursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await request(gateway.app)
        .get('/v1/orders')
        .query({ customerId, limit: 2, ...(cursor ? { cursor } : {}) })
        .set(AUTH.agent);
      expect(response.status).toBe(200);
      seen.push(...response.body.items.map((order: { orderId: string }) => order.orderId));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('rejects a cursor it did not hand out with 422', async () => {
    const response = await request(gateway.app).get('/v1/orders?cursor=bm9wZQ').set(AUTH.agent);
    expect(response.status).toBe(422);
    expect(response.body.errors[0].path).toBe('cursor');
  });

  it('rejects a limit over 100 with 422', async () => {
    const response = await request(gateway.app).get('/v1/orders?limit=101').set(AUTH.agent);
    expect(response.status).toBe(422);
  });
});
