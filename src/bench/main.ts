import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import type { OrderDoc } from '../db/documents';
import { placeOrder, seedBenchNetwork } from './bench-orders';
import { readConfirmationTimes, waitUntilAllSettled, waitUntilSettled } from './confirmations';
import { peakResidentMiB } from './process-memory';
import { runConcurrently, type LoadResult } from './run-concurrently';
import { startBenchStack } from './stack-processes';
import { percentile, round1 } from './stats';

export interface BenchSettings {
  temporalAddress: string;
  mongoUri: string;
  orders: number;
  concurrency: number;
  gatewayPort: number;
}

/** Orders placed one after another per lane, each waiting for `confirmed`: latency when the system keeps up. */
const STEADY_ORDERS = 200;
const STEADY_CONCURRENCY = 4;

const rateOf = (count: number, ms: number): number => round1((count / ms) * 1000);

const figuresOf = (result: LoadResult) => ({
  perSecond: rateOf(result.latenciesMs.length, result.elapsedMs),
  p50Ms: round1(percentile(result.latenciesMs, 50)),
  p99Ms: round1(percentile(result.latenciesMs, 99)),
  failures: result.failures,
});

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

/**
 * One run on one set of servers: N no-op workflow starts at concurrency C (the ceiling), N orders at
 * concurrency C through the gateway (intake, then how fast the worker confirms the backlog), then a steady
 * phase where each of a few lanes waits for its order to be confirmed before placing the next.
 */
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
  const mongo = new MongoClient(settings.mongoUri);
  try {
    const orders = mongo.db().collection<OrderDoc>('orders');
    const skus = await seedBenchNetwork(stack.gatewayUrl, settings.orders + STEADY_ORDERS);
    const skuFor = (index: number): string => skus[index % skus.length] as string;
    console.log(`bench ${runId}: ${settings.orders} orders at concurrency ${settings.concurrency}`);

    const noop = await startNoopWorkflows(settings, runId, taskQueue);

    const burstIds = Array.from({ length: settings.orders }, (_, index) => `bench-${runId}-${index}`);
    const accepted = await runConcurrently(settings.orders, settings.concurrency, (index) =>
      placeOrder(stack.gatewayUrl, burstIds[index] as string, skuFor(index)),
    );
    await waitUntilAllSettled(orders, burstIds, 1_800_000);
    const burst = await readConfirmationTimes(orders, burstIds);

    const steadyIds = Array.from({ length: STEADY_ORDERS }, (_, index) => `bench-${runId}-steady-${index}`);
    await runConcurrently(STEADY_ORDERS, STEADY_CONCURRENCY, async (index) => {
      const orderId = steadyIds[index] as string;
      await placeOrder(stack.gatewayUrl, orderId, skuFor(index));
      await waitUntilSettled(orders, orderId, 60_000);
    });
    const steady = await readConfirmationTimes(orders, steadyIds);

    const intake = figuresOf(accepted);
    const ceiling = figuresOf(noop);
    const results = {
      runId,
      at: new Date().toISOString(),
      orders: settings.orders,
      concurrency: settings.concurrency,
      accepted: intake,
      noopStarts: ceiling,
      ratioAcceptedToNoop: Math.round((intake.perSecond / ceiling.perSecond) * 1000) / 1000,
      confirmedBacklog: {
        count: burst.latenciesMs.length,
        perSecond: rateOf(burst.latenciesMs.length, burst.spanMs),
        p50Ms: round1(percentile(burst.latenciesMs, 50)),
        p99Ms: round1(percentile(burst.latenciesMs, 99)),
      },
      confirmedSteady: {
        count: steady.latenciesMs.length,
        concurrency: STEADY_CONCURRENCY,
        perSecond: rateOf(steady.latenciesMs.length, steady.spanMs),
        p50Ms: round1(percentile(steady.latenciesMs, 50)),
        p99Ms: round1(percentile(steady.latenciesMs, 99)),
      },
      openOrders: settings.orders + STEADY_ORDERS,
      peakRssMiB: {
        worker: round1(peakResidentMiB(stack.worker.pid ?? -1) ?? Number.NaN),
        gateway: round1(peakResidentMiB(stack.gateway.pid ?? -1) ?? Number.NaN),
      },
    };
    console.log(JSON.stringify(results, null, 2));
    const outDir = path.resolve('.bench');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, `orders-${runId}.json`), JSON.stringify(results, null, 2));
  } finally {
    await mongo.close();
    await stack.stop();
  }
}
