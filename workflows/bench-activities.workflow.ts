import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BenchActivities } from '../activities/bench.activities';

/** How many no-op activities of each kind the baseline runs: as many as one completed order does. */
export interface BenchActivitiesInput {
  activities: number;
  localActivities: number;
}

const regular = proxyActivities<BenchActivities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });

/** The benchmark's baseline: an order's number of activities, one after another, with no work in them. */
export async function benchActivitiesWorkflow(input: BenchActivitiesInput): Promise<void> {
  for (let i = 0; i < input.localActivities; i++) await local.benchNoop();
  for (let i = 0; i < input.activities; i++) await regular.benchNoop();
}
