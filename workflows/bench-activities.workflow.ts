import { continueAsNew, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BenchActivities } from '../activities/bench.activities';

/** How many no-op activities of each kind the baseline runs: as many as one completed order does. */
export interface BenchActivitiesInput {
  activities: number;
  localActivities: number;
  /** Spread them over this many runs, continuing as new in between (as a long-lived order does). Default 1. */
  runs?: number;
}

const regular = proxyActivities<BenchActivities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });

/** The benchmark's baseline: an order's number of activities, one after another, with no work in them. */
export async function benchActivitiesWorkflow(input: BenchActivitiesInput): Promise<void> {
  const runs = Math.max(1, input.runs ?? 1);
  const localNow = Math.ceil(input.localActivities / runs);
  const regularNow = Math.ceil(input.activities / runs);
  for (let i = 0; i < localNow; i++) await local.benchNoop();
  for (let i = 0; i < regularNow; i++) await regular.benchNoop();
  if (runs > 1) {
    await continueAsNew<typeof benchActivitiesWorkflow>({
      activities: input.activities - regularNow,
      localActivities: input.localActivities - localNow,
      runs: runs - 1,
    });
  }
}
