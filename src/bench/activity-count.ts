import type { Client } from '@temporalio/client';

/** What one workflow, with its child workflows, executed. */
export interface ActivityCount {
  /** Activities scheduled by the server (one per call, however many attempts). */
  activities: number;
  /** Local activities (one marker each in the history). */
  localActivities: number;
  /** The workflow itself and every child workflow it started, counted through. */
  workflows: number;
}

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * Counts the activities of a workflow and of its children from their histories, through every run of a
 * workflow that continued as new (each run's start names the run before it).
 */
export async function countActivities(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<ActivityCount> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const count: ActivityCount = { activities: 0, localActivities: 0, workflows: 1 };
  const children: string[] = [];
  let previousRun: string | undefined;
  for (const event of history.events ?? []) {
    if (event.activityTaskScheduledEventAttributes) count.activities += 1;
    if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) count.localActivities += 1;
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    if (child) children.push(child);
    previousRun ||= event.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
  }
  const more = await Promise.all([
    ...children.map((child) => countActivities(client, child)),
    ...(previousRun ? [countActivities(client, workflowId, previousRun)] : []),
  ]);
  for (const inner of more) {
    count.activities += inner.activities;
    count.localActivities += inner.localActivities;
    count.workflows += inner.workflows;
  }
  if (previousRun) count.workflows -= 1; // an earlier run of the same workflow is not another workflow
  return count;
}
