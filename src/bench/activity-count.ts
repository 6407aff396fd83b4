import type { Client } from '@temporalio/client';

/** What one workflow run, with its child workflows, executed. */
export interface ActivityCount {
  /** Activities scheduled by the server (one per call, however many attempts). */
  activities: number;
  /** Local activities (one marker each in the history). */
  localActivities: number;
  /** The workflow itself and every child workflow it started, counted through. */
  workflows: number;
}

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** Counts the activities of a workflow and of its children from their histories. */
export async function countActivities(client: Client, workflowId: string): Promise<ActivityCount> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const count: ActivityCount = { activities: 0, localActivities: 0, workflows: 1 };
  const children: string[] = [];
  for (const event of history.events ?? []) {
    if (event.activityTaskScheduledEventAttributes) count.activities += 1;
    if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) count.localActivities += 1;
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    if (child) children.push(child);
  }
  for (const child of children) {
    const inner = await countActivities(client, child);
    count.activities += inner.activities;
    count.localActivities += inner.localActivities;
    count.workflows += inner.workflows;
  }
  return count;
}
