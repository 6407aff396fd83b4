import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { DEV_API_KEYS } from '../config';
import type { OrderDoc } from '../db/documents';
import { peakResidentMiB } from './process-memory';
import { runConcurrently, type LoadResult } from './run-concurrently';
import { startBenchStack } from './stack-processes';
import { percentile, round1 } from './stats';

const keyFor = (role: string): string => {
  const pair = DEV_API_KEYS.split(',').find((entry) => entry.endsWith(`:${role}`));
  return (pair ?? '').split(':')[0] as string;
};

export interface BenchSettings {
  temporalAddress: string;
  mongoUri: string;
  orders: number;
  concurrency: number;
  gatewayPort: number;
}

interface RateFigures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

const figuresOf = (result: LoadResult): RateFigures => ({
  perSecond: round1((result.latenciesMs.length / result.elapsedMs) * 1000),
  p50Ms: round1(percentile(result.latenciesMs, 50)),
  p99Ms: round1(percentile(result.latenciesMs, 99)),
  failures: result.failures,
});

async function putJson(url: string, body: unknown, key: string): Promise<void> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`PUT ${url}: ${response.status} ${await response.text()}`);
}

/** The bench network: one warehouse with enough stock of a few SKUs for every order of the run. */
async function seedBenchStock(gatewayUrl: string, orders: number): Promise<string[]> {
  const admin = keyFor('admin');
  const skus = ['BENCH-A', 'BENCH-B', 'BENCH-C', 'BENCH-D'];
  await putJson(
    `${gatewayUrl}/v1/nodes/BENCH-WH`,
    {
      name: 'Bench warehouse',
      type: 'warehouse',
      location: { lat: 48.85, lon: 2.35, postalCode: '75001', country: 'FR' },
      capabilities: ['ship'],
    },
    admin,
  );
  for (const sku of skus) {
    await putJson(
      `${gatewayUrl}/v1/products/${sku}`,
      { name: sku, priceMinor: 1000, currency: 'EUR', weightGrams: 500 },
      admin,
    );
    await putJson(`${gatewayUrl}/v1/inventory/${sku}/BENCH-WH`, { onHand: orders * 2 }, admin);
  }
  return skus;
}

function orderBody(orderId: string, sku: string): unknown {
  return {
    orderId,
    channel: 'web',
    customer: { id: `bench-customer-${orderId.slice(-3)}`, email: 'bench@example.com' },
    currency: 'EUR',
    lines: [{ lineId: 'L1', sku, quantity: 1, unitPriceMinor: 1000 }],
    delivery: {
      method: 'ship',
      address: {
        line1: '1 rue de Rivoli',
        city: 'Paris',
        postalCode: '75001',
        country: 'FR',
        lat: 48.86,
        lon: 2.34,
      },
    },
    payment: { token: 'tok_ok' },
  };
}

interface ConfirmationTimes {
  /** received → confirmed per order, in milliseconds. */
  latenciesMs: number[];
  /** First received to last confirmed: how long the worker took to confirm the whole batch. */
  spanMs: number;
}

/** Waits until every order of the run has left `received` in the read model, then reads received→confirmed times. */
async function timesToConfirmed(
  mongoUri: string,
  orderIds: string[],
  timeoutMs: number,
): Promise<ConfirmationTimes> {
  const mongo = new MongoClient(mongoUri);
  try {
    const orders = mongo.db().collection<OrderDoc>('orders');
    const deadline = Date.now() + timeoutMs;
    let docs: OrderDoc[] = [];
    while (Date.now() < deadline) {
      docs = await orders.find({ _id: { $in: orderIds } }).toArray();
      const settled = docs.filter((doc) => doc.status !== 'received').length;
      if (settled === orderIds.length) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const pairs = docs.flatMap((doc) => {
      const confirmed = doc.timeline.find((entry) => entry.type === 'confirmed');
      return confirmed ? [{ received: Date.parse(doc.createdAt), confirmed: Date.parse(confirmed.at) }] : [];
    });
    const spanMs =
      Math.max(...pairs.map((pair) => pair.confirmed)) - Math.min(...pairs.map((pair) => pair.received));
    return { latenciesMs: pairs.map((pair) => pair.confirmed - pair.received), spanMs };
  } finally {
    await mongo.close();
  }
}

async function startNoopWorkflows(
  settings: BenchSettings,
  runId: string,
  taskQueue: string,
): Promise<LoadResult> {
  const connection = await Connection.connect({ address: settings.temporalAddress });
  try {
    const client = new Client({ connection });
    return await runConcurrently(settings.orders, settings.concurrency, async (index) => {
      await client.workflow.start('noopWorkflow', { taskQueue, workflowId: `bench-noop:${runId}:${index}` });
    });
  } finally {
    await connection.close();
  }
}

/** Places N orders at concurrency C through the gateway and, on the same server, starts N no-op workflows. */
export async function runBench(settings: BenchSettings): Promise<void> {
  const runId = randomUUID().slice(0, 8);
  const taskQueue = `bench-${runId}`;
  const stack = await startBenchStack(
    {
      TEMPORAL_ADDRESS: settings.temporalAddress,
      MONGODB_URI: settings.mongoUri,
      TEMPORAL_TASK_QUEUE: taskQueue,
      OMS_SIMULATION: 'manual',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    settings.gatewayPort,
  );
  try {
    const skus = await seedBenchStock(stack.gatewayUrl, settings.orders);
    const channelKey = keyFor('channel');
    console.log(`bench ${runId}: ${settings.orders} orders at concurrency ${settings.concurrency}`);

    const noop = await startNoopWorkflows(settings, runId, taskQueue);
    const orderIds = Array.from({ length: settings.orders }, (_, index) => `bench-${runId}-${index}`);
    const accepted = await runConcurrently(settings.orders, settings.concurrency, async (index) => {
      const orderId = orderIds[index] as string;
      const response = await fetch(`${stack.gatewayUrl}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${channelKey}` },
        body: JSON.stringify(orderBody(orderId, skus[index % skus.length] as string)),
      });
      if (response.status !== 201)
        throw new Error(`POST /v1/orders: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    });
    const confirmed = await timesToConfirmed(settings.mongoUri, orderIds, 900_000);

    const orderFigures = figuresOf(accepted);
    const noopFigures = figuresOf(noop);
    const results = {
      runId,
      at: new Date().toISOString(),
      orders: settings.orders,
      concurrency: settings.concurrency,
      accepted: orderFigures,
      noopStarts: noopFigures,
      ratioAcceptedToNoop: round1((orderFigures.perSecond / noopFigures.perSecond) * 100) / 100,
      confirmed: {
        count: confirmed.latenciesMs.length,
        perSecond: round1((confirmed.latenciesMs.length / confirmed.spanMs) * 1000),
        p50Ms: round1(percentile(confirmed.latenciesMs, 50)),
        p99Ms: round1(percentile(confirmed.latenciesMs, 99)),
      },
      peakRssMiB: {
        worker: round1(peakResidentMiB(stack.worker.pid ?? -1) ?? Number.NaN),
        gateway: round1(peakResidentMiB(stack.gateway.pid ?? -1) ?? Number.NaN),
      },
    };
    console.table({
      'orders accepted (gateway)': orderFigures,
      'no-op workflow starts': noopFigures,
    });
    console.log(JSON.stringify(results, null, 2));
    const outDir = path.resolve('.bench');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, `orders-${runId}.json`), JSON.stringify(results, null, 2));
  } finally {
    await stack.stop();
  }
}
