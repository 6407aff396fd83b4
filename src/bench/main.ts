import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MongoClient, type Collection } from 'mongodb';
import type { OrderDoc } from '../db/documents';
import { placeOrder, seedBenchNetwork } from './bench-orders';
import { runCompletionBench } from './completion-bench';
import { readConfirmationTimes, waitUntilAllSettled, waitUntilSettled } from './confirmations';
import { startMemoryMonitor, summarizeByPhase, type MemoryMonitor } from './memory-monitor';
import { cpuSeconds, peakResidentMiB } from './process-memory';
import { runConcurrently, type LoadResult } from './run-concurrently';
import { startBenchStack, type BenchStack } from './stack-processes';
import { percentile, round1 } from './stats';

/** `intake`: orders accepted and confirmed against no-op starts; `complete`: orders driven to `completed` against no-op workflows with as many activities. */
export const BENCH_PHASES = ['intake', 'complete'] as const;
export type BenchPhase = (typeof BENCH_PHASES)[number];

export interface BenchSettings {
  temporalAddress: string;
  mongoUri: string;
  orders: number;
  concurrency: number;
  gatewayPort: number;
  phases: readonly BenchPhase[];
}

/** Orders placed one after another per lane, each waiting for `confirmed`: latency when the system keeps up. */
const STEADY_ORDERS = 200;
const STEADY_CONCURRENCY = 4;
/** How long a burst may take to confirm: at least 30 min, else 0.4 s per order (a loaded 2-core machine). */
const settleTimeoutMs = (orders: number): number => Math.max(1_800_000, orders * 400);

const rateOf = (count: number, ms: number): number => round1((count / ms) * 1000);

const figuresOf = (result: LoadResult) => ({
  perSecond: rateOf(result.latenciesMs.length, result.elapsedMs),
  p50Ms: round1(percentile(result.latenciesMs, 50)),
  p99Ms: round1(percentile(result.latenciesMs, 99)),
  failures: result.failures,
});

/** What every phase works with: the running stack, a Temporal client, the read model and the seeded SKUs. */
interface BenchContext {
  settings: BenchSettings;
  runId: string;
  taskQueue: string;
  stack: BenchStack;
  memory: MemoryMonitor;
  client: Client;
  orders: Collection<OrderDoc>;
  skuFor(index: number): string;
}

/** Peak resident memory so far (VmHWM) of the worker and gateway processes. */
const peakRss = (stack: BenchStack) => ({
  worker: round1(peakResidentMiB(stack.worker.pid ?? -1) ?? Number.NaN),
  gateway: round1(peakResidentMiB(stack.gateway.pid ?? -1) ?? Number.NaN),
});

/** CPU seconds used so far by the worker and gateway processes (to compare memory settings at equal work). */
const cpuUsed = (stack: BenchStack) => ({
  worker: round1(cpuSeconds(stack.worker.pid ?? -1) ?? Number.NaN),
  gateway: round1(cpuSeconds(stack.gateway.pid ?? -1) ?? Number.NaN),
});

/**
 * N no-op workflow starts at concurrency C (the ceiling), N orders at concurrency C through the gateway
 * (intake, then how fast the worker confirms the backlog), then a steady phase where each of a few lanes waits
 * for its order to be confirmed before placing the next.
 */
async function runIntakeBench(context: BenchContext) {
  const { settings, runId, taskQueue, stack, memory, client, orders, skuFor } = context;
  memory.enterPhase('intake: no-op starts');
  const noop = await runConcurrently(settings.orders, settings.concurrency, async (index) => {
    await client.workflow.start('noopWorkflow', { taskQueue, workflowId: `bench-noop:${runId}:${index}` });
  });

  memory.enterPhase('intake: orders placed');
  const burstIds = Array.from({ length: settings.orders }, (_, index) => `bench-${runId}-${index}`);
  const accepted = await runConcurrently(settings.orders, settings.concurrency, (index) =>
    placeOrder(stack.gatewayUrl, burstIds[index] as string, skuFor(index)),
  );
  const intake = figuresOf(accepted);
  const ceiling = figuresOf(noop);
  console.log(
    `[bench] accepted ${intake.perSecond}/s (p50 ${intake.p50Ms} / p99 ${intake.p99Ms} ms, ${intake.failures} failed); ` +
      `no-op starts ${ceiling.perSecond}/s (p50 ${ceiling.p50Ms} / p99 ${ceiling.p99Ms} ms)`,
  );
  memory.enterPhase('intake: backlog confirmed');
  const settled = await waitUntilAllSettled(orders, burstIds, settleTimeoutMs(settings.orders));
  const burst = await readConfirmationTimes(orders, burstIds);

  // A backlog that did not drain would make every steady order wait its full minute: skip that phase then.
  const timedOut = settled < burstIds.length;
  const steadyIds = timedOut
    ? []
    : Array.from({ length: STEADY_ORDERS }, (_, index) => `bench-${runId}-steady-${index}`);
  memory.enterPhase('intake: steady');
  await runConcurrently(steadyIds.length, STEADY_CONCURRENCY, async (index) => {
    const orderId = steadyIds[index] as string;
    await placeOrder(stack.gatewayUrl, orderId, skuFor(index));
    await waitUntilSettled(orders, orderId, 60_000);
  });
  const steady = await readConfirmationTimes(orders, steadyIds);

  return {
    accepted: intake,
    noopStarts: ceiling,
    ratioAcceptedToNoop: Math.round((intake.perSecond / ceiling.perSecond) * 1000) / 1000,
    confirmedBacklog: {
      count: burst.latenciesMs.length,
      ...(timedOut ? { timedOut } : {}),
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
    openOrders: settings.orders + steadyIds.length,
    peakRssMiB: peakRss(stack),
  };
}

/** Orders (and units per SKU) each phase uses. */
const unitsFor = (settings: BenchSettings): number =>
  (settings.phases.includes('intake') ? settings.orders + STEADY_ORDERS : 0) +
  (settings.phases.includes('complete') ? settings.orders + 10 : 0); // + the calibration orders

/** One run of the chosen phases on one set of servers; prints the figures and saves them under `.bench/`. */
export async function runBench(settings: BenchSettings): Promise<void> {
  const runId = randomUUID().slice(0, 8);
  const taskQueue = `bench-${runId}`;
  const stack = await startBenchStack(
    {
      TEMPORAL_ADDRESS: settings.temporalAddress,
      MONGODB_URI: settings.mongoUri,
      TEMPORAL_TASK_QUEUE: taskQueue,
      OMS_SIMULATION: 'manual',
      // Completed orders close at once, like the baseline's workflows (a return window keeps them open for
      // weeks); BENCH_RETURN_WINDOW_DAYS measures with one.
      OMS_RETURN_WINDOW_DAYS: process.env.BENCH_RETURN_WINDOW_DAYS ?? '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    settings.gatewayPort,
  );
  const mongo = new MongoClient(settings.mongoUri);
  const connection = await Connection.connect({ address: settings.temporalAddress });
  const memory = startMemoryMonitor({ worker: stack.worker.pid ?? -1, gateway: stack.gateway.pid ?? -1 });
  try {
    const skus = await seedBenchNetwork(stack.gatewayUrl, unitsFor(settings));
    const context: BenchContext = {
      settings,
      runId,
      taskQueue,
      stack,
      memory,
      client: new Client({ connection }),
      orders: mongo.db().collection<OrderDoc>('orders'),
      skuFor: (index) => skus[index % skus.length] as string,
    };
    console.log(
      `bench ${runId}: ${settings.orders} orders at concurrency ${settings.concurrency}, phases ${settings.phases.join(', ')}`,
    );
    const intake = settings.phases.includes('intake') ? await runIntakeBench(context) : undefined;
    if (settings.phases.includes('complete')) memory.enterPhase('complete');
    const completion = settings.phases.includes('complete')
      ? {
          ...(await runCompletionBench({
            client: context.client,
            orders: context.orders,
            gatewayUrl: stack.gatewayUrl,
            taskQueue,
            runId,
            count: settings.orders,
            concurrency: settings.concurrency,
            skuFor: context.skuFor,
          })),
          peakRssMiB: peakRss(stack),
        }
      : undefined;
    memory.enterPhase('end');
    const samples = memory.stop();
    const results = {
      runId,
      at: new Date().toISOString(),
      orders: settings.orders,
      concurrency: settings.concurrency,
      ...intake,
      ...(completion ? { completion } : {}),
      peakRssMiB: peakRss(stack),
      cpuSeconds: cpuUsed(stack),
      memoryByPhase: summarizeByPhase(samples),
      loadAverageAtEnd: loadavg().map(round1),
    };
    console.log(JSON.stringify(results, null, 2));
    const outDir = path.resolve('.bench');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      path.join(outDir, `orders-${runId}.json`),
      JSON.stringify({ ...results, memorySamples: samples }, null, 2),
    );
  } finally {
    memory.stop();
    await connection.close();
    await mongo.close();
    await stack.stop();
  }
}
