import type { Collection } from 'mongodb';
import type { OrderDoc } from '../db/documents';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until one order has left `received` in the read model (polled by `_id`, the dev server's fast path). */
export async function waitUntilSettled(
  orders: Collection<OrderDoc>,
  orderId: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const doc = await orders.findOne({ _id: orderId }, { projection: { status: 1 } });
    if (doc && doc.status !== 'received') return;
    await pause(20);
  }
  throw new Error(`order ${orderId} not confirmed within ${timeoutMs} ms`);
}

/**
 * Waits until every order has left `received`, polling rarely so the poll does not load the database. Answers
 * how many had when it stopped waiting: all of them, or fewer when the timeout came first (the run still reports).
 */
export async function waitUntilAllSettled(
  orders: Collection<OrderDoc>,
  orderIds: string[],
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lastPrinted = Date.now();
  let settled = 0;
  while (Date.now() < deadline) {
    settled = await orders.countDocuments({ _id: { $in: orderIds }, status: { $ne: 'received' } });
    if (settled === orderIds.length) return settled;
    if (Date.now() - lastPrinted >= 60_000) {
      lastPrinted = Date.now();
      console.log(`[bench] ${settled} of ${orderIds.length} orders confirmed`);
    }
    await pause(2000);
  }
  console.log(`[bench] only ${settled} of ${orderIds.length} orders confirmed within ${timeoutMs} ms`);
  return settled;
}

export interface ConfirmationTimes {
  /** received → confirmed per order, in milliseconds (both stamped by the workflow's clock and the gateway's). */
  latenciesMs: number[];
  /** First received to last confirmed: how long the batch took to confirm. */
  spanMs: number;
}

/** Reads received→confirmed times of settled orders from their timelines. */
export async function readConfirmationTimes(
  orders: Collection<OrderDoc>,
  orderIds: string[],
): Promise<ConfirmationTimes> {
  const docs = await orders
    .find({ _id: { $in: orderIds } }, { projection: { createdAt: 1, timeline: 1 } })
    .toArray();
  const pairs = docs.flatMap((doc) => {
    const confirmed = doc.timeline.find((entry) => entry.type === 'confirmed');
    return confirmed ? [{ received: Date.parse(doc.createdAt), confirmed: Date.parse(confirmed.at) }] : [];
  });
  const spanMs =
    Math.max(...pairs.map((pair) => pair.confirmed)) - Math.min(...pairs.map((pair) => pair.received));
  return { latenciesMs: pairs.map((pair) => pair.confirmed - pair.received), spanMs };
}
