import type { WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../activities';
import { businessFailure } from '../../activities/failures';
import { FAILURE_TYPES } from '../../src/domain/failure-types';
import type { OrderView } from '../../src/domain/order-view';
import { modifyOrderUpdate, ORDER_REJECTIONS, type ModifyOrderRequest } from '../../workflows/order.messages';
import { waitForView } from './support/order-driver';
import { OrderTestEnv } from './support/order-test-env';
import { runWorkerAroundFile } from './support/order-suite';

// Agents' changes that cost more money than the provider grants: the order's first authorisation goes
// through, every later one is declined. The change is refused (409) and leaves no stock and no money behind.
const env = new OrderTestEnv('order-changes-declines');
const agent = 'agent:test';

const suite = runWorkerAroundFile(env, () => {
  const real = createActivities(env.activityDeps());
  return env.startWorker(
    {},
    {},
    {
      authorizePayment: async (input) => {
        if (input.idempotencyKey !== `auth:${input.orderId}`)
          throw businessFailure(FAILURE_TYPES.paymentDeclined, 'payment declined: insufficient_funds');
        return real.authorizePayment(input);
      },
    },
  );
});

const modify = (handle: WorkflowHandle, change: Omit<ModifyOrderRequest, 'actor'>) =>
  handle.executeUpdate(modifyOrderUpdate, { args: [{ ...change, actor: agent }] });

const declined = { cause: { type: ORDER_REJECTIONS.notAllowed, message: expect.stringMatching(/declined/) } };

async function completeAndReadLedger(handle: WorkflowHandle, orderId: string) {
  const view = await waitForView(handle, () => true);
  for (const f of view.fulfillments.filter((f) => f.status === 'created'))
    await suite.driver.shipAndDeliver(f.fulfillmentId);
  const final = (await handle.result()) as OrderView;
  const ops = await env.paymentOperations
    .find({ _id: { $regex: `^(auth|capture|void|refund):${orderId}` } })
    .toArray();
  return { final, operations: ops.map((op) => [op.operation, op.amountMinor]).sort() };
}

test('a declined raise keeps the parcel with its old units: the extra units given back, no second charge', async () => {
  const coat = await env.stockSku({ 'WH-LYON': 5 });
  const order = env.orderRequest(coat, {
    lines: [{ lineId: 'l1', sku: coat, quantity: 1, unitPriceMinor: 1000 }],
  });
  const handle = await env.startOrder(order);
  await env.waitForStatus(handle, 'confirmed');
  await expect(modify(handle, { lines: [{ lineId: 'l1', quantity: 3 }] })).rejects.toMatchObject(declined);

  const after = await waitForView(handle, () => true);
  expect(after.lines[0]).toMatchObject({ quantity: 1 });
  expect(after.fulfillments.filter((f) => f.status === 'created').map((f) => f.lines)).toEqual([
    [{ lineId: 'l1', quantity: 1 }],
  ]);
  expect(await env.stock.getRecord(coat, 'WH-LYON')).toMatchObject({ onHand: 5, reserved: 1 });
  const { final, operations } = await completeAndReadLedger(handle, order.orderId);
  expect(final.status).toBe('completed');
  expect(operations).toEqual([
    ['authorize', 1000],
    ['capture', 1000],
  ]);
  expect(await env.stock.getRecord(coat, 'WH-LYON')).toMatchObject({ onHand: 4, reserved: 0 });
});

test('a declined added line is not added: its stock is given back', async () => {
  const coat = await env.stockSku({ 'WH-LYON': 5 });
  const scarf = await env.stockSku({ 'WH-PARIS': 2 });
  const order = env.orderRequest(coat);
  const handle = await env.startOrder(order);
  await env.waitForStatus(handle, 'confirmed');
  await expect(
    modify(handle, { addLines: [{ sku: scarf, quantity: 2, unitPriceMinor: 1500 }] }),
  ).rejects.toMatchObject(declined);

  const after = await waitForView(handle, () => true);
  expect(after.lines.map((l) => l.lineId)).toEqual(['l1']);
  expect(after.totalMinor).toBe(9000);
  expect(await env.stock.getRecord(scarf, 'WH-PARIS')).toMatchObject({ onHand: 2, reserved: 0 });
  const { final, operations } = await completeAndReadLedger(handle, order.orderId);
  expect(final.status).toBe('completed');
  expect(operations).toEqual([
    ['authorize', 9000],
    ['capture', 9000],
  ]);
});
