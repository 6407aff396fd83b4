import type { Client } from '@temporalio/client';
import type { Collection } from 'mongodb';
import type { OrderDoc } from '../db/documents';
import { orderWorkflowId } from '../../workflows/order.messages';
import type { BenchActivitiesInput } from '../../workflows/bench-activities.workflow';
import { countActivities, type ActivityCount } from './activity-count';
import { placeOrder } from './bench-orders';
import { BenchDriver } from './order-driver';
import { runConcurrently, type LoadResult } from './run-concurrently';
import { percentile, round1 } from './stats';

export interface CompletionBenchSettings {
  client: Client;
  orders: Collection<OrderDoc>;
  gatewayUrl: string;
  taskQueue: string;
  runId: string;
  count: number;
  concurrency: number;
  skuFor(index: number): string;
}

/** Completed per second, p50/p99 latency and failures of one phase. */
export interface CompletionFigures {
  completed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  firstFailure?: string;
}

export interface CompletionResults {
  /** What one completed order runs: the median over the calibration orders' histories, children included. */
  activitiesPerOrder: ActivityCount;
  /** Each calibration order's count. */
  calibration: ActivityCount[];
  /** The median count over the first orders of the measured phase, to show the calibration was representative. */
  checkedAfterwards: { orders: number; median: ActivityCount };
  /** No-op workflows with that many activities, started and awaited at the same concurrency. */
  baseline: CompletionFigures;
  /** Orders placed and driven to `completed` over HTTP; latency is received → completed on the order's timeline. */
  orders: CompletionFigures;
  ratioOrdersToBaseline: number;
}

/** Orders driven to completion before the timed phases, to count what an order runs. */
const CALIBRATION_ORDERS = 5;
/** Orders of the timed phase whose histories are counted afterwards. */
const CHECKED_ORDERS = 20;

const median = (values: number[]): number => percentile(values, 50);

/** The median of each count: one order type's typical run. */
const medianCount = (counts: ActivityCount[]): ActivityCount => ({
  activities: median(counts.map((c) => c.activities)),
  localActivities: median(counts.map((c) => c.localActivities)),
  workflows: median(counts.map((c) => c.workflows)),
});

const countOrders = (client: Client, orderIds: string[]): Promise<ActivityCount[]> =>
  Promise.all(orderIds.map((orderId) => countActivities(client, orderWorkflowId(orderId))));

const figures = (
  count: number,
  elapsedMs: number,
  latenciesMs: number[],
  load: LoadResult,
): CompletionFigures => ({
  completed: count,
  perSecond: round1((count / elapsedMs) * 1000),
  p50Ms: round1(percentile(latenciesMs, 50)),
  p99Ms: round1(percentile(latenciesMs, 99)),
  failures: load.failures,
  ...(load.firstFailure ? { firstFailure: load.firstFailure } : {}),
});

/** received → completed per completed order, from the read model (the workflow's own timestamps). */
async function readCompletionTimes(orders: Collection<OrderDoc>, orderIds: string[]): Promise<number[]> {
  const docs = await orders
    .find(
      { _id: { $in: orderIds }, status: 'completed' },
      { projection: { createdAt: 1, updatedAt: 1, timeline: 1 } },
    )
    .toArray();
  return docs.map((doc) => {
    const completedAt =
      [...doc.timeline].reverse().find((entry) => entry.type === 'completed')?.at ?? doc.updatedAt;
    return Date.parse(completedAt) - Date.parse(doc.createdAt);
  });
}

/**
 * End-to-end completion against its ceiling, in one run on the same servers: one calibration order is driven to
 * `completed` and its activities counted; then N no-op workflows running that many activities, and N orders
 * placed and driven to `completed` through the HTTP routes, each at concurrency C.
 */
export async function runCompletionBench(settings: CompletionBenchSettings): Promise<CompletionResults> {
  const { client, gatewayUrl, runId, count, concurrency } = settings;
  const driver = new BenchDriver(gatewayUrl, settings.orders);

  // Orders may differ (notifications, payment outcomes): calibrate on a few and take the median of each count.
  const calibrationIds = Array.from(
    { length: CALIBRATION_ORDERS },
    (_, i) => `bench-${runId}-calibration-${i}`,
  );
  await Promise.all(
    calibrationIds.map(async (orderId, index) => {
      await placeOrder(gatewayUrl, orderId, settings.skuFor(index));
      await driver.complete(orderId);
    }),
  );
  const calibration = await countOrders(client, calibrationIds);
  const perOrder = medianCount(calibration);
  console.log(
    `a completed order ran ${perOrder.activities} activities and ${perOrder.localActivities} local activities in ` +
      `${perOrder.workflows} workflow(s) (median of ${CALIBRATION_ORDERS})`,
  );

  const input: BenchActivitiesInput = {
    activities: perOrder.activities,
    localActivities: perOrder.localActivities,
  };
  const baseline = await runConcurrently(count, concurrency, async (index) => {
    await client.workflow.execute('benchActivitiesWorkflow', {
      taskQueue: settings.taskQueue,
      workflowId: `bench-activities:${runId}:${index}`,
      args: [input],
    });
  });

  const orderIds = Array.from({ length: count }, (_, index) => `bench-${runId}-complete-${index}`);
  const completion = await runConcurrently(count, concurrency, async (index) => {
    const orderId = orderIds[index] as string;
    await placeOrder(gatewayUrl, orderId, settings.skuFor(index));
    await driver.complete(orderId);
  });
  const latencies = await readCompletionTimes(settings.orders, orderIds);
  const checked = medianCount(await countOrders(client, orderIds.slice(0, CHECKED_ORDERS)));

  const baselineFigures = figures(
    baseline.latenciesMs.length,
    baseline.elapsedMs,
    baseline.latenciesMs,
    baseline,
  );
  const orderFigures = figures(latencies.length, completion.elapsedMs, latencies, completion);
  return {
    activitiesPerOrder: perOrder,
    calibration,
    checkedAfterwards: { orders: Math.min(CHECKED_ORDERS, count), median: checked },
    baseline: baselineFigures,
    orders: orderFigures,
    ratioOrdersToBaseline: Math.round((orderFigures.perSecond / baselineFigures.perSecond) * 1000) / 1000,
  };
}
